/**
 * Types and API shapes shared by the insights backend and frontend.
 *
 * @packageDocumentation
 */

export * from './api';
