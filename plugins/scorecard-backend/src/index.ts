/**
 * Scorecards backend: guardrail rules, levels, exemptions and a deploy gate.
 *
 * @packageDocumentation
 */

export { scorecardPlugin as default } from './plugin';
export {
  builtInRuleKinds,
  DEFAULT_LEVELS,
  DEFAULT_RULES,
  evaluateEntity,
  readScorecardConfig,
  readScorecardRule,
  referenceAt,
  relationTargets,
  ruleAppliesTo,
  RuleKinds,
} from './rules';
export type { GateOutageMode, ScorecardConfig } from './rules';
export { applyExemptions } from './scoring/exemptions';
export { levelOf } from './scoring/levels';
export type { SweepSummary } from './scoring/SweepService';
export { createScorecard } from './createScorecard';
export type { Scorecard } from './createScorecard';
export type { EvaluationContext } from '@internal/plugin-scorecard-node';
