import { components } from './schema/openapi/generated/types';

// The API's shapes are the spec's (plugins/scorecard-backend/src/schema/openapi.yaml, whose
// descriptions document each field): these names alias the types generated from it, so a
// change of the spec is a compile error wherever the code no longer fits.
type Schemas = components['schemas'];

/**
 * The lifecycle of an exemption. `expired` is never stored: an approved exemption whose
 * `expiresAt` has passed is reported as expired and no longer applies.
 *
 * @public
 */
export type ExemptionStatus = Schemas['ExemptionStatus'];

/**
 * An exemption as the API returns it: the request, the risk sign-off and the decision.
 *
 * @public
 */
export type ExemptionRecord = Schemas['ExemptionRecord'];

/**
 * The body of `POST /exemptions`.
 *
 * @public
 */
export type ExemptionRequest = Schemas['ExemptionRequest'];

/**
 * The body of `POST /exemptions/{id}/approve`, `reject` and `revoke`: an optional note.
 *
 * @public
 */
export type ExemptionDecision = Schemas['ExemptionDecision'];

/**
 * `GET /exemptions`: newest first.
 *
 * @public
 */
export type ExemptionList = Schemas['ExemptionList'];

/**
 * One rule's result for one entity, as the API returns it.
 *
 * @public
 */
export type RuleResultView = Schemas['RuleResultView'];

/**
 * One day of an entity's history.
 *
 * @public
 */
export type EntityHistoryDay = Schemas['EntityHistoryDay'];

/**
 * `GET /entities/:kind/:namespace/:name`: the scorecard of one entity now, with its
 * exemptions (every state); with `?history=true` also its daily history, oldest first.
 *
 * @public
 */
export type EntityScorecardResponse = Schemas['EntityScorecardResponse'];

/**
 * `GET /rules`: the configuration in force.
 *
 * @public
 */
export type RulesResponse = Schemas['RulesResponse'];

/**
 * Level counts: level id to number of entities; entities below the lowest level are
 * counted in `unranked`.
 *
 * @public
 */
export type LevelCounts = Schemas['LevelCounts'];

/**
 * Coverage of a group of entities (an owner, a system): the share of applicable rule
 * results that pass or are exempt, between 0 and 1.
 *
 * @public
 */
export type GroupCoverage = Schemas['GroupCoverage'];

/**
 * Coverage of one rule across the catalog.
 *
 * @public
 */
export type RuleCoverage = Schemas['RuleCoverage'];

/**
 * One day of the catalog-wide trend.
 *
 * @public
 */
export type TrendDay = Schemas['TrendDay'];

/**
 * `GET /overview`: the catalog's scorecard at the last evaluation.
 *
 * @public
 */
export type ScorecardOverview = Schemas['ScorecardOverview'];

/**
 * One entity's level now and on the first day it was evaluated.
 *
 * @public
 */
export type EntityLevels = Schemas['EntityLevels'];

/**
 * `GET /levels`: every evaluated entity's level now and on its first day (for portal
 * insights).
 *
 * @public
 */
export type LevelsResponse = Schemas['LevelsResponse'];

/**
 * `GET /trend`: the daily trend of the whole catalog, or with `?owner=` of one owner's
 * entities; oldest first.
 *
 * @public
 */
export type TrendResponse = Schemas['TrendResponse'];

/**
 * A rule that keeps an entity from the gate's level.
 *
 * @public
 */
export type GateViolation = Schemas['GateViolation'];

/**
 * `GET /gate/:kind/:namespace/:name`: whether the entity may deploy. Evaluated on the
 * catalog's current data, honoring exemptions running at the time of the call.
 *
 * @public
 */
export type GateResponse = Schemas['GateResponse'];

/**
 * The body of `POST /preview`: `{ rule }`, shaped like an entry of `scorecard.rules`.
 *
 * @public
 */
export type PreviewRequest = Schemas['PreviewRequest'];

/**
 * `POST /preview`: what a proposed rule would say about the whole catalog; nothing is
 * stored.
 *
 * @public
 */
export type RulePreviewResponse = Schemas['RulePreviewResponse'];

/**
 * One entity of an owner: its level and the one next thing to fix.
 *
 * @public
 */
export type EntitySummary = Schemas['EntitySummary'];

/**
 * `GET /entities?owner=`: the owners' entities, by reference.
 *
 * @public
 */
export type OwnedEntitiesResponse = Schemas['OwnedEntitiesResponse'];
