export { readScorecardConfig, readScorecardRule } from './config';
export type { GateOutageMode, ScorecardConfig } from './config';
export { DEFAULT_LEVELS, DEFAULT_RULES } from './defaults';
export { evaluateEntity, ruleAppliesTo } from './evaluate';
export { referenceAt } from './entityFields';
export {
  fieldsFor,
  filterFor,
  relationTargets,
  targetKindsOf,
} from './catalogReads';
export { RuleKinds } from './RuleKinds';
export { builtInRuleKinds } from './builtInKinds';
