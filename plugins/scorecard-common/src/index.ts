/**
 * Types, API shapes and permissions shared by the scorecard backend and frontend.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './api';
export * from './permissions';
export type {
  paths as ScorecardApiPaths,
  components as ScorecardApiComponents,
  operations as ScorecardApiOperations,
} from './schema/openapi/generated/types';
