import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ScorecardRuleKind } from './ruleKinds';

/**
 * Lets backend modules add rule kinds to the scorecard.
 *
 * @public
 */
export interface ScorecardRuleKindsExtensionPoint {
  /**
   * Adds rule kinds; config rules may use their ids as `kind`. An id already taken, by a
   * built-in kind or another module, stops the backend at startup.
   */
  addRuleKinds(...kinds: ScorecardRuleKind[]): void;
}

/**
 * The extension point for rule kinds, for modules of the `scorecard` plugin.
 *
 * @public
 */
export const scorecardRuleKindsExtensionPoint =
  createExtensionPoint<ScorecardRuleKindsExtensionPoint>({
    id: 'scorecard.ruleKinds',
  });
