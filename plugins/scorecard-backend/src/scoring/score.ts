import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Exemption,
  RuleOutcome,
  RuleResult,
  ScorecardLevel,
  ScorecardRule,
} from '@internal/plugin-scorecard-common';
import { createHash } from 'node:crypto';
import {
  applyExemptions,
  evaluateEntity,
  EvaluationContext,
  levelOf,
  referenceAt,
} from '../rules';

/**
 * One entity's scorecard as stored: the raw results (exemptions apply when read), and the
 * exempted summary as of the evaluation.
 */
export interface ScoredEntity {
  /** Full reference in lower case. */
  entityRef: string;
  owner?: string;
  system?: string;
  results: RuleResult[];
  level?: string;
  passed: number;
  exempt: number;
  failed: number;
  outcomes: Record<string, RuleOutcome>;
  /** Changes whenever anything above changes. */
  fingerprint: string;
}

/** A full entity reference in lower case: the key results and exemptions are stored by. */
export function entityKey(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** The exempted results, the level and the counts, for raw results at `now`. */
export function summarize(
  entityRef: string,
  raw: RuleResult[],
  exemptions: Exemption[],
  levels: ScorecardLevel[],
  now: Date,
) {
  const results = applyExemptions(entityRef, raw, exemptions, now);
  const outcomes: Record<string, RuleOutcome> = {};
  let passed = 0;
  let exempt = 0;
  let failed = 0;
  for (const result of results) {
    outcomes[result.ruleId] = result.outcome;
    if (result.outcome === 'pass') {
      passed += 1;
    } else if (result.outcome === 'exempt') {
      exempt += 1;
    } else {
      failed += 1;
    }
  }
  return {
    results,
    level: levelOf(results, levels),
    passed,
    exempt,
    failed,
    outcomes,
  };
}

/** Summarizes raw results for storage. */
export function toScored(options: {
  entityRef: string;
  owner?: string;
  system?: string;
  raw: RuleResult[];
  exemptions: Exemption[];
  levels: ScorecardLevel[];
  now: Date;
}): ScoredEntity {
  const { entityRef, owner, system, raw } = options;
  const { level, passed, exempt, failed, outcomes } = summarize(
    entityRef,
    raw,
    options.exemptions,
    options.levels,
    options.now,
  );
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([owner, system, level, raw, outcomes]))
    .digest('hex');
  return {
    entityRef,
    ...(owner && { owner }),
    ...(system && { system }),
    results: raw,
    ...(level && { level }),
    passed,
    exempt,
    failed,
    outcomes,
    fingerprint,
  };
}

/** Evaluates one entity and summarizes it for storage. */
export function scoreEntity(options: {
  entity: Entity;
  rules: ScorecardRule[];
  levels: ScorecardLevel[];
  context: EvaluationContext;
  exemptions: Exemption[];
  now: Date;
}): ScoredEntity {
  const { entity, rules, context } = options;
  return toScored({
    entityRef: entityKey(entity),
    owner: referenceAt(entity, 'spec.owner', 'Group'),
    system: referenceAt(entity, 'spec.system', 'System'),
    raw: evaluateEntity(entity, rules, context),
    exemptions: options.exemptions,
    levels: options.levels,
    now: options.now,
  });
}

/** The catalog fields evaluating these rules needs, so reads ask for nothing more. */
export function fieldsFor(rules: ScorecardRule[]): string[] {
  const fields = new Set([
    'kind',
    'metadata.namespace',
    'metadata.name',
    'spec.type',
    'spec.owner',
    'spec.system',
  ]);
  for (const rule of rules) {
    switch (rule.kind) {
      case 'annotationPresent':
      case 'annotationMatches':
        // Annotation names hold dots and slashes, which field paths cannot express.
        fields.add('metadata.annotations');
        break;
      case 'linkPresent':
        fields.add('metadata.links');
        break;
      default:
        fields.add(rule.params.field);
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

/** The kinds `relationResolves` rules look up. */
export function targetKindsOf(rules: ScorecardRule[]): string[] {
  const kinds = new Set<string>();
  for (const rule of rules) {
    if (rule.kind === 'relationResolves') {
      kinds.add(rule.params.targetKind);
    }
  }
  return [...kinds];
}

/** YYYY-MM-DD in UTC. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
