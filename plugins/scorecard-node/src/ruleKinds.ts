import { Entity } from '@backstage/catalog-model';
import { RuleParams, ScorecardRule } from '@internal/plugin-scorecard-common';

/**
 * What rule evaluation needs to know beyond the entity itself. The scorecard builds it
 * from the catalog before evaluating, which keeps evaluation pure.
 *
 * @public
 */
export interface EvaluationContext {
  /**
   * Whether an entity exists in the catalog. `ref` is a full entity reference in lower
   * case, like `group:default/payments-team`. Only entities of the kinds a rule kind
   * declares in {@link ScorecardRuleKind.targetKinds} are known.
   */
  entityExists(ref: string): boolean;
}

/**
 * Reads the `params` of one rule from config. Each method takes a parameter name and
 * throws an `InputError` naming the rule and `params.<name>` when the value is wrong, so
 * a bad rule stops the backend at startup.
 *
 * @public
 */
export interface RuleParamsReader {
  /** The raw value, for checks the methods below do not cover. */
  value(name: string): unknown;
  string(name: string): string;
  optionalString(name: string): string | undefined;
  /** A non-empty list of non-empty strings. */
  stringArray(name: string): string[];
  optionalStringArray(name: string): string[] | undefined;
  /** A dot path from the root of the entity, like `spec.lifecycle`. */
  fieldPath(name: string): string;
  /** Refuses the rule: `Invalid scorecard rule 'x' field 'params.<name>': <problem>`. */
  fail(name: string, problem: string): never;
}

/**
 * A kind of scorecard rule: what `kind: <id>` in `scorecard.rules` means. The scorecard
 * backend provides the built-in kinds through this interface too; backend modules add
 * their own through {@link scorecardRuleKindsExtensionPoint}.
 *
 * Evaluation runs for every entity on every sweep: `failure` should only read the entity
 * and the context, and return quickly.
 *
 * @public
 */
export interface ScorecardRuleKind<TParams extends RuleParams = RuleParams> {
  /** The `kind` of the rules it evaluates, like `annotationPresent`. */
  id: string;
  /** The parameters it accepts; any other key in `params` is refused at startup. */
  paramNames: string[];
  /** Reads and validates `params`; runs once per rule, when the config is read. */
  readParams(params: RuleParamsReader): TParams;
  /** What a passing result says; computed once per rule and shared by every entity. */
  passMessage(rule: ScorecardRule<TParams>): string;
  /**
   * What the entity lacks for the rule, in one sentence; undefined when it passes. The
   * rule's `howToFix` is appended by the scorecard.
   */
  failure(
    rule: ScorecardRule<TParams>,
    entity: Entity,
    context: EvaluationContext,
  ): string | undefined;
  /**
   * The entity fields `failure` reads, as catalog field paths (like `spec.lifecycle` or
   * `metadata.annotations`): sweeps ask the catalog for nothing more. Kind, namespace,
   * name, `spec.type`, `spec.owner` and `spec.system` are always there.
   */
  entityFields(rule: ScorecardRule<TParams>): string[];
  /**
   * The kinds of the entities `failure` asks {@link EvaluationContext.entityExists}
   * about; a sweep reads which of them exist before evaluating.
   */
  targetKinds?(rule: ScorecardRule<TParams>): string[];
  /**
   * The references, full and in lower case, that `failure` will ask
   * {@link EvaluationContext.entityExists} about for this entity: evaluating one entity
   * looks up only those.
   */
  relationTargets?(rule: ScorecardRule<TParams>, entity: Entity): string[];
}

/**
 * Declares a rule kind, inferring the type of its parameters from `readParams`.
 *
 * @public
 */
export function createScorecardRuleKind<TParams extends RuleParams>(
  kind: ScorecardRuleKind<TParams>,
): ScorecardRuleKind<TParams> {
  return kind;
}
