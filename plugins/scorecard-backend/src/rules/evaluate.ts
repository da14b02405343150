import { Entity } from '@backstage/catalog-model';
import { RuleResult, ScorecardRule } from '@internal/plugin-scorecard-common';
import { EvaluationContext } from '@internal/plugin-scorecard-node';
import { lower } from './entityFields';
import { RuleKinds } from './RuleKinds';

function matchesAny(value: unknown, candidates: string[] | undefined) {
  if (!candidates || candidates.length === 0) {
    return true;
  }
  return (
    typeof value === 'string' &&
    candidates.some(
      candidate => candidate === value || lower(candidate) === lower(value),
    )
  );
}

/**
 * Whether a rule applies to an entity: its kind and its spec.type are among those of
 * `appliesTo`, compared case-insensitively; an absent or empty list matches everything.
 *
 * @public
 */
export function ruleAppliesTo(rule: ScorecardRule, entity: Entity): boolean {
  return (
    matchesAny(entity.kind, rule.appliesTo.kind) &&
    matchesAny(entity.spec?.type, rule.appliesTo.type)
  );
}

/**
 * Evaluates the rules that apply to an entity, in the order given, each by its kind. A
 * failing result says what is missing, then how to fix it.
 *
 * @public
 */
export function evaluateEntity(
  entity: Entity,
  rules: ScorecardRule[],
  context: EvaluationContext,
  kinds: RuleKinds = RuleKinds.builtIn(),
): RuleResult[] {
  const results: RuleResult[] = [];
  // Kind and type once per entity, not once per rule.
  const entityKind = lower(entity.kind);
  const type =
    typeof entity.spec?.type === 'string' ? lower(entity.spec.type) : undefined;
  for (const rule of rules) {
    const prepared = kinds.prepare(rule);
    if (
      (prepared.kinds && !prepared.kinds.has(entityKind)) ||
      (prepared.types && (type === undefined || !prepared.types.has(type)))
    ) {
      continue;
    }
    const problem = prepared.kind.failure(rule, entity, context);
    results.push(
      problem === undefined
        ? prepared.pass
        : {
            ruleId: rule.id,
            outcome: 'fail',
            message: problem + prepared.fixSuffix,
          },
    );
  }
  return results;
}
