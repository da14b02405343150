import { Entity } from '@backstage/catalog-model';
import { ScorecardRule } from '@internal/plugin-scorecard-common';
import { ruleAppliesTo } from './evaluate';
import { RuleKinds } from './RuleKinds';

// What every score needs: the key, appliesTo, and the owner and system it is grouped by.
const ALWAYS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'spec.type',
  'spec.owner',
  'spec.system',
];

/** The catalog fields evaluating these rules needs, so reads ask for nothing more. */
export function fieldsFor(rules: ScorecardRule[], kinds: RuleKinds): string[] {
  const fields = new Set(ALWAYS);
  for (const rule of rules) {
    for (const field of kinds.prepare(rule).kind.entityFields(rule)) {
      fields.add(field);
    }
  }
  return [...fields];
}

/**
 * The catalog filter that finds every entity some rule applies to: by kind when every
 * rule names its kinds, otherwise everything.
 */
export function filterFor(
  rules: ScorecardRule[],
): { kind: string[] } | undefined {
  const kinds = new Set<string>();
  for (const rule of rules) {
    if (!rule.appliesTo.kind?.length) {
      return undefined;
    }
    for (const kind of rule.appliesTo.kind) {
      kinds.add(kind);
    }
  }
  return { kind: [...kinds] };
}

/** The kinds of the entities whose existence these rules ask about. */
export function targetKindsOf(
  rules: ScorecardRule[],
  kinds: RuleKinds,
): string[] {
  const targetKinds = new Set<string>();
  for (const rule of rules) {
    for (const kind of kinds.prepare(rule).kind.targetKinds?.(rule) ?? []) {
      targetKinds.add(kind);
    }
  }
  return [...targetKinds];
}

/**
 * The entities the rules would look up for this entity, as full references in lower
 * case: what `EvaluationContext.entityExists` will be asked.
 *
 * @public
 */
export function relationTargets(
  entity: Entity,
  rules: ScorecardRule[],
  kinds: RuleKinds = RuleKinds.builtIn(),
): string[] {
  const targets = new Set<string>();
  for (const rule of rules) {
    const { kind } = kinds.prepare(rule);
    if (!kind.relationTargets || !ruleAppliesTo(rule, entity)) {
      continue;
    }
    for (const target of kind.relationTargets(rule, entity)) {
      targets.add(target);
    }
  }
  return [...targets];
}
