/**
 * Types and API shapes shared by the insights backend and frontend.
 *
 * @packageDocumentation
 */

export * from './api';
export type {
  paths as InsightsApiPaths,
  components as InsightsApiComponents,
  operations as InsightsApiOperations,
} from './schema/openapi/generated/types';
