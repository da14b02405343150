/**
 * Backend helpers every Paved Road plugin shares.
 *
 * @packageDocumentation
 */

export * from './databaseOutage';
export * from './openApiRouter';
export * from './parseRequest';
export * from './serviceOutage';
