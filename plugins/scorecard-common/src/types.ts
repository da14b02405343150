import { components } from './schema/openapi/generated/types';

// Where a type is also an API shape, it aliases the spec's (see api.ts).
type Schemas = components['schemas'];

/**
 * The rule kinds the scorecard backend itself provides.
 *
 * @public
 */
export const BUILT_IN_RULE_KINDS = [
  'annotationPresent',
  'annotationMatches',
  'specField',
  'linkPresent',
  'relationResolves',
] as const;

/**
 * One of the {@link BUILT_IN_RULE_KINDS}; each has its own parameters, see
 * {@link RuleParamsByKind}.
 *
 * @public
 */
export type BuiltInRuleKind = (typeof BUILT_IN_RULE_KINDS)[number];

/**
 * The kind of a rule: a built-in one or one that a backend module contributes through
 * the scorecard's rule kinds extension point (`@internal/plugin-scorecard-node`).
 *
 * @public
 */
export type RuleKind = string;

/**
 * The parameters of each built-in rule kind.
 *
 * Field paths (`field`) are dot paths from the root of the entity, like `spec.lifecycle`.
 *
 * @public
 */
export interface RuleParamsByKind {
  /** The annotation is set to a non-empty value. */
  annotationPresent: { annotation: string };
  /** The annotation is set and its value matches the regular expression `pattern`. */
  annotationMatches: { annotation: string; pattern: string };
  /** The field is set; when `values` is given, its value is one of them (exact match). */
  specField: { field: string; values?: string[] };
  /** A link exists whose type and/or title equals the given ones (case-insensitive). */
  linkPresent: { type?: string; title?: string };
  /**
   * Every entity reference in the field resolves to an existing entity of `targetKind`;
   * references without a kind get `targetKind`, without a namespace the entity's own.
   */
  relationResolves: { field: string; targetKind: string };
}

/**
 * The parameters of a rule, as its kind reads them from config: JSON values.
 *
 * @public
 */
export type RuleParams = { [key: string]: unknown };

/**
 * Which entities a rule applies to. An absent or empty list means any; kinds and types
 * are compared case-insensitively.
 *
 * @public
 */
export type RuleAppliesTo = Schemas['RuleAppliesTo'];

/**
 * The fields every rule has, whatever its kind.
 *
 * @public
 */
export type ScorecardRuleBase = Omit<
  Schemas['ScorecardRule'],
  'kind' | 'params'
>;

/**
 * A scorecard rule: configuration reviewed by pull request (`scorecard.rules`).
 * `TParams` is what its kind reads from `params`.
 *
 * @public
 */
export interface ScorecardRule<TParams extends RuleParams = RuleParams>
  extends ScorecardRuleBase {
  kind: RuleKind;
  params: TParams;
}

/**
 * A rule of one of the built-in kinds, its parameters narrowed by its kind.
 *
 * @public
 */
export type BuiltInScorecardRule = {
  [K in BuiltInRuleKind]: ScorecardRule<RuleParamsByKind[K]> & { kind: K };
}[BuiltInRuleKind];

/**
 * The outcome of one rule for one entity.
 *
 * @public
 */
export type RuleOutcome = Schemas['RuleOutcome'];

/**
 * The result of one rule for one entity, with a message for humans.
 *
 * @public
 */
export interface RuleResult {
  ruleId: string;
  outcome: RuleOutcome;
  message: string;
}

/**
 * A level (like bronze, silver, gold): reached when all its rules pass or are exempt.
 *
 * @public
 */
export type ScorecardLevel = Schemas['ScorecardLevel'];

/**
 * The scorecard of one entity.
 *
 * @public
 */
export interface EntityScorecard {
  entityRef: string;
  results: RuleResult[];
  /** The id of the highest level reached; absent when none is. */
  level?: string;
}

/**
 * An approved exception to one rule for one entity, until `expiresAt`.
 *
 * @public
 */
export interface Exemption {
  ruleId: string;
  /** A full entity reference, like `component:default/payments-api`. */
  entityRef: string;
  reason: string;
  /** ISO 8601 timestamp; from that instant on the exemption no longer applies. */
  expiresAt: string;
  approvedBy?: string;
}
