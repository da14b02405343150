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
export interface InsightsEvent {
  /** The idempotency key: the same event sent twice is stored once. */
  id: string;
  /** Dot-separated, like `scaffold.completed` or `infra.requested`. */
  name: string;
  /** The service the event is about (its catalog name). */
  service: string;
  /** The template that ran, like `template:default/http-service`. */
  templateRef?: string;
  /** Who ran it, like `user:default/paula.payments`. */
  user?: string;
  taskId?: string;
  /** How long the task took, when known. */
  duration_ms: number | null;
  /** Free-form: `owner` (the team's group ref), `repoSlug` (owner/name), `pullRequestUrl`, … */
  attributes: Record<string, string | number | boolean>;
  /** ISO 8601. */
  occurredAt: string;
}

/**
 * `POST /events` answers 201 for a new event and 200 for one already stored.
 *
 * @public
 */
export interface IngestResponse {
  id: string;
  stored: boolean;
}

/**
 * A figure for one week and the week before it. `value` is absent when nothing was
 * measured (no events, no GitHub), which the page shows as "no data", not as zero.
 *
 * @public
 */
export interface WeeklyFigure {
  value?: number;
  previous?: number;
  /** value - previous, when both are there. */
  delta?: number;
  /** How many things the value was computed from (scaffolds, services, pull requests). */
  count: number;
}

/**
 * The figures of one ISO week (Monday 00:00 UTC to the next Monday).
 *
 * @public
 */
export interface WeekFigures {
  /** Like `2026-W48`. */
  week: string;
  /** The Monday, YYYY-MM-DD. */
  start: string;
  scaffolds: WeeklyFigure;
  /** Seconds. */
  scaffoldDurationP50: WeeklyFigure;
  scaffoldDurationP95: WeeklyFigure;
  /** Share (0..1) of catalog services with `backstage.io/source-template`, at the week's end. */
  createdThroughPortal: WeeklyFigure;
  /** Share (0..1) of the services scaffolded that week that were gold on their first day. */
  bornCompliant: WeeklyFigure;
  /** Share (0..1) of services created through the portal that are gold now. */
  stillOnRoad: WeeklyFigure;
  /** Scorecard coverage (0..1) on the last day of the week with data. */
  guardrailCoverage: WeeklyFigure;
  /** Hours from an infra request to its merged pull request. */
  infraRequestWaitHours: WeeklyFigure;
  /** Hours from scaffold to the first pull request of the new repository (GitHub). */
  timeToFirstPrHours: WeeklyFigure;
  /** Hours from a pull request's merge to the first successful deployment after it (GitHub). */
  leadTimeHours: WeeklyFigure;
}

/**
 * `GET /figures?weeks=8&team=group:default/payments-team`: oldest week first.
 *
 * @public
 */
export interface FiguresResponse {
  /** The team filter applied, when one was. */
  team?: string;
  /** The teams that have services or scaffolds, for the filter. */
  teams: string[];
  weeks: WeekFigures[];
  /** Whether the GitHub figures could be read; why not, when they could not. */
  github: { configured: boolean; complete: boolean; problem?: string };
}
