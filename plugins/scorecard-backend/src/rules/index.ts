export { readScorecardConfig, readScorecardRule } from './config';
export type { ScorecardConfig } from './config';
export { DEFAULT_LEVELS, DEFAULT_RULES } from './defaults';
export {
  applyExemptions,
  evaluateEntity,
  levelOf,
  referenceAt,
  relationTargets,
  ruleAppliesTo,
} from './evaluate';
export type { EvaluationContext } from './evaluate';
