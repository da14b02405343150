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
export {
  TeamServicesContent as HomeTeamServicesContent,
  ExemptionsContent as HomeExemptionsContent,
} from './components/HomeCards';
// Who may decide on exemptions is who the portal treats as the platform team.
export { scorecardExemptionApprovePermission } from '@internal/plugin-scorecard-common';
