/**
 * Scorecards in the portal: the entity card and tab, exemptions, and the overview page.
 *
 * @packageDocumentation
 */

export { scorecardPlugin as default } from './plugin';
export {
  ScorecardClient,
  scorecardApiRef,
  type ExemptionDecisionOptions,
  type ScorecardApi,
} from './api';
