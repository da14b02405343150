import { RuleResult, ScorecardLevel } from '@internal/plugin-scorecard-common';

/**
 * The level an entity reaches, given its (exempted) results: levels are a ladder, in the
 * order configured, lowest first, and the entity climbs while every rule of a level passes
 * or is exempt; the first level it misses stops it, even when a higher one would be
 * satisfied on its own.
 *
 * A rule of a level that does not apply to the entity (it has no result) counts as
 * satisfied, so a level made only of such rules is reached as soon as the one below is.
 * An entity to which no rule applies at all (no results) reaches no level: the scorecard
 * says nothing about it.
 *
 * @public
 */
export function levelOf(
  results: RuleResult[],
  levels: ScorecardLevel[],
): string | undefined {
  if (results.length === 0) {
    return undefined;
  }
  // Most entities fail few rules or none; look only at those.
  const failing: string[] = [];
  for (const result of results) {
    if (result.outcome === 'fail') {
      failing.push(result.ruleId);
    }
  }
  let reached: string | undefined;
  for (const level of levels) {
    if (failing.length > 0 && level.rules.some(id => failing.includes(id))) {
      break;
    }
    reached = level.id;
  }
  return reached;
}

/** The level above `level` (the lowest when none is reached) and its failing rules. */
export function nextLevel(
  levels: ScorecardLevel[],
  level: string | undefined,
  results: Array<{ ruleId: string; outcome: string }>,
): { nextLevel?: { id: string; missing: string[] } } {
  const next = levels[level ? levels.findIndex(l => l.id === level) + 1 : 0];
  if (!next) {
    return {};
  }
  const failing = new Set(
    results.filter(r => r.outcome === 'fail').map(r => r.ruleId),
  );
  return {
    nextLevel: {
      id: next.id,
      missing: next.rules.filter(ruleId => failing.has(ruleId)),
    },
  };
}
