import { Exemption, RuleOutcome, ScorecardLevel, ScorecardRule } from './types';

/**
 * The lifecycle of an exemption. `expired` is never stored: an approved exemption whose
 * `expiresAt` has passed is reported as expired and no longer applies.
 *
 * @public
 */
export type ExemptionStatus =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'revoked'
  | 'expired';

/**
 * An exemption as the API returns it: the request, the risk sign-off and the decision.
 *
 * @public
 */
export interface ExemptionRecord extends Exemption {
  id: string;
  status: ExemptionStatus;
  /** Who accepted the risk of running without the rule, as the requester stated it. */
  riskSignoff: string;
  /** The user entity ref of the requester. */
  requestedBy: string;
  requestedAt: string;
  /** The user entity ref of whoever approved, rejected or revoked it. */
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
}

/**
 * The body of `POST /exemptions`.
 *
 * @public
 */
export interface ExemptionRequest {
  entityRef: string;
  ruleId: string;
  reason: string;
  /** ISO 8601 date or timestamp, in the future and at most `exemptionMaxDays` away. */
  expiresAt: string;
  riskSignoff: string;
}

/**
 * One rule's result for one entity, as the API returns it.
 *
 * @public
 */
export interface RuleResultView {
  ruleId: string;
  title: string;
  outcome: RuleOutcome;
  /** What was found; for a failing rule it ends with how to fix it. */
  message: string;
  /** For a failing rule: how to fix it (every rule's text is in `GET /rules`). */
  howToFix?: string;
  /** The exemption that makes this result `exempt`. */
  exemption?: { id: string; expiresAt: string; reason: string };
}

/**
 * One day of an entity's history.
 *
 * @public
 */
export interface EntityHistoryDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  level?: string;
  passed: number;
  exempt: number;
  failed: number;
  /** Rule ids that failed that day. */
  failing: string[];
}

/**
 * `GET /entities/:kind/:namespace/:name`: the scorecard of one entity now, with its
 * exemptions (every state); with `?history=true` also its daily history, oldest first.
 *
 * @public
 */
export interface EntityScorecardResponse {
  entityRef: string;
  /** The id of the highest level reached; absent when none is. */
  level?: string;
  /** The next level up and the rules that keep the entity from it. */
  nextLevel?: { id: string; missing: string[] };
  results: RuleResultView[];
  exemptions: ExemptionRecord[];
  /** Present when asked for with `?history=true`. */
  history?: EntityHistoryDay[];
  /** When the catalog data behind these results was read. */
  evaluatedAt: string;
}

/**
 * `GET /rules`: the configuration in force.
 *
 * @public
 */
export interface RulesResponse {
  rules: ScorecardRule[];
  /** Lowest first. */
  levels: ScorecardLevel[];
  exemptionMaxDays: number;
  /** The level the deploy gate requires. */
  gateLevel: string;
}

/**
 * Level counts: level id to number of entities; entities below the lowest level are
 * counted in `unranked`.
 *
 * @public
 */
export interface LevelCounts {
  levels: Record<string, number>;
  unranked: number;
}

/**
 * Coverage of a group of entities (an owner, a system): the share of applicable rule
 * results that pass or are exempt, between 0 and 1.
 *
 * @public
 */
export interface GroupCoverage extends LevelCounts {
  /** An entity ref (the owner or the system), or `unknown` when the field is not set. */
  ref: string;
  entities: number;
  coverage: number;
}

/**
 * Coverage of one rule across the catalog.
 *
 * @public
 */
export interface RuleCoverage {
  ruleId: string;
  title: string;
  applicable: number;
  passed: number;
  exempt: number;
  failed: number;
  /** (passed + exempt) / applicable, between 0 and 1; 1 when nothing applies. */
  coverage: number;
}

/**
 * One day of the catalog-wide trend.
 *
 * @public
 */
export interface TrendDay extends LevelCounts {
  day: string;
  entities: number;
  coverage: number;
}

/**
 * `GET /overview`: the catalog's scorecard at the last evaluation.
 *
 * @public
 */
export interface ScorecardOverview {
  /** When the last evaluation ended; absent before the first one. */
  evaluatedAt?: string;
  entities: number;
  coverage: number;
  levels: ScorecardLevel[];
  distribution: LevelCounts;
  rules: RuleCoverage[];
  owners: GroupCoverage[];
  systems: GroupCoverage[];
  /** Oldest first. */
  trend: TrendDay[];
}

/**
 * One entity's level now and on the first day it was evaluated.
 *
 * @public
 */
export interface EntityLevels {
  /** Full reference in lower case. */
  entityRef: string;
  owner?: string;
  /** The level now; absent when none is reached. */
  level?: string;
  /** YYYY-MM-DD (UTC) of the oldest day in the history. */
  firstDay?: string;
  /** The level on `firstDay`; absent when none was reached. */
  firstLevel?: string;
}

/**
 * `GET /levels`: every evaluated entity's level now and on its first day (for portal
 * insights).
 *
 * @public
 */
export interface LevelsResponse {
  items: EntityLevels[];
}

/**
 * `GET /trend`: the daily trend of the whole catalog, or with `?owner=` of one owner's
 * entities; oldest first.
 *
 * @public
 */
export interface TrendResponse {
  trend: TrendDay[];
}

/**
 * A rule that keeps an entity from the gate's level.
 *
 * @public
 */
export interface GateViolation {
  ruleId: string;
  title: string;
  message: string;
  howToFix: string;
}

/**
 * `GET /gate/:kind/:namespace/:name`: whether the entity may deploy. Evaluated on the
 * catalog's current data, honoring exemptions running at the time of the call.
 *
 * @public
 */
export interface GateResponse {
  entityRef: string;
  result: 'pass' | 'fail';
  requiredLevel: string;
  level?: string;
  violations: GateViolation[];
  exempted: Array<{ ruleId: string; exemptionId: string; expiresAt: string }>;
  evaluatedAt: string;
}

/**
 * `POST /preview`: what a proposed rule (body `{ rule }`, shaped like an entry of
 * `scorecard.rules`) would say about the whole catalog; nothing is stored.
 *
 * @public
 */
export interface RulePreviewResponse {
  ruleId: string;
  /** Entities read from the catalog. */
  entities: number;
  /** Entities the rule applies to. */
  applicable: number;
  passing: number;
  failing: Array<{ entityRef: string; owner?: string; message: string }>;
}
