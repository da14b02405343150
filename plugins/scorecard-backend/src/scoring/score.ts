import { Entity } from '@backstage/catalog-model';
import {
  Exemption,
  RuleOutcome,
  RuleResult,
  ScorecardLevel,
  ScorecardRule,
} from '@internal/plugin-scorecard-common';
import { createHash } from 'node:crypto';
import { EvaluationContext } from '@internal/plugin-scorecard-node';
import { evaluateEntity, referenceAt, RuleKinds } from '../rules';
import { applyExemptions } from './exemptions';
import { levelOf } from './levels';
import { entityKey } from './refs';

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
  kinds: RuleKinds;
  levels: ScorecardLevel[];
  context: EvaluationContext;
  exemptions: Exemption[];
  now: Date;
}): ScoredEntity {
  const { entity, rules, kinds, context } = options;
  return toScored({
    entityRef: entityKey(entity),
    owner: referenceAt(entity, 'spec.owner', 'Group'),
    system: referenceAt(entity, 'spec.system', 'System'),
    raw: evaluateEntity(entity, rules, context, kinds),
    exemptions: options.exemptions,
    levels: options.levels,
    now: options.now,
  });
}
