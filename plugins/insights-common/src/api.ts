import { components, operations } from './schema/openapi/generated/types';

// The API's shapes are the spec's (plugins/insights-backend/src/schema/openapi.yaml, whose
// descriptions document each field): these names alias the types generated from it, so a
// change of the spec is a compile error wherever the code no longer fits.
type Schemas = components['schemas'];

/**
 * The name of an event: dot-separated words of lowercase letters, digits and `_`, like
 * `scaffold.completed`. The insights backend accepts, and `portal:event:emit` sends,
 * only names like this.
 *
 * @public
 */
export const INSIGHTS_EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * An event as `portal:event:emit` sends it (`POST /events`), with `Idempotency-Key: id`.
 *
 * @public
 */
export type InsightsEvent = Schemas['InsightsEvent'];

/**
 * `POST /events` answers 201 for a new event and 200 for one already stored.
 *
 * @public
 */
export type IngestResponse = Schemas['IngestResponse'];

/**
 * A figure for one week and the week before it. `value` is absent when nothing was
 * measured (no events, no GitHub), which the page shows as "no data", not as zero.
 *
 * @public
 */
export type WeeklyFigure = Schemas['WeeklyFigure'];

/**
 * The figures of one ISO week (Monday 00:00 UTC to the next Monday).
 *
 * @public
 */
export type WeekFigures = Schemas['WeekFigures'];

/**
 * `GET /figures?weeks=8&team=group:default/payments-team`: oldest week first.
 *
 * @public
 */
export type FiguresResponse = Schemas['FiguresResponse'];

/**
 * The query of `GET /figures`: how many weeks back (8 when absent, at most 52), and for
 * which team (a group ref; every team when absent).
 *
 * @public
 */
export type FiguresQuery = NonNullable<
  operations['GetFigures']['parameters']['query']
>;
