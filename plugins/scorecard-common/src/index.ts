/**
 * Types, API shapes and permissions shared by the scorecard backend and frontend.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './api';
export * from './permissions';
