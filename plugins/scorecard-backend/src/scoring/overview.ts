import {
  GroupCoverage,
  LevelCounts,
  RuleCoverage,
  ScorecardLevel,
  ScorecardOverview,
  ScorecardRule,
  TrendDay,
} from '@internal/plugin-scorecard-common';
import { HistoryAggregate, LatestSummary } from '../database/ScorecardStore';

const UNKNOWN = 'unknown';

function emptyCounts(levels: ScorecardLevel[]): LevelCounts {
  return {
    levels: Object.fromEntries(levels.map(level => [level.id, 0])),
    unranked: 0,
  };
}

function countLevel(counts: LevelCounts, level: string | undefined) {
  if (level !== undefined && level in counts.levels) {
    counts.levels[level] += 1;
  } else {
    counts.unranked += 1;
  }
}

function share(covered: number, applicable: number): number {
  return applicable === 0 ? 1 : covered / applicable;
}

type GroupTally = LevelCounts & {
  ref: string;
  entities: number;
  covered: number;
  applicable: number;
};

function coverageOf(tallies: Map<string, GroupTally>): GroupCoverage[] {
  return [...tallies.values()]
    .map(({ ref, entities, covered, applicable, levels, unranked }) => ({
      ref,
      entities,
      coverage: share(covered, applicable),
      levels,
      unranked,
    }))
    .sort((a, b) => a.coverage - b.coverage || a.ref.localeCompare(b.ref));
}

/**
 * The catalog-wide scorecard from each entity's latest summary and the daily history.
 * Coverage counts an exempt result as covered: the exemption is the agreed state.
 */
export function buildOverview(options: {
  rules: ScorecardRule[];
  levels: ScorecardLevel[];
  latest: LatestSummary[];
  history: HistoryAggregate[];
  evaluatedAt?: string;
}): ScorecardOverview {
  const { rules, levels, latest, history } = options;
  const perRule = new Map<string, RuleCoverage>(
    rules.map(rule => [
      rule.id,
      {
        ruleId: rule.id,
        title: rule.title,
        applicable: 0,
        passed: 0,
        exempt: 0,
        failed: 0,
        coverage: 1,
      },
    ]),
  );
  const owners = new Map<string, GroupTally>();
  const systems = new Map<string, GroupTally>();
  const tally = (map: Map<string, GroupTally>, ref: string) => {
    let entry = map.get(ref);
    if (!entry) {
      entry = {
        ref,
        entities: 0,
        covered: 0,
        applicable: 0,
        ...emptyCounts(levels),
      };
      map.set(ref, entry);
    }
    return entry;
  };
  const distribution = emptyCounts(levels);
  let covered = 0;
  let applicable = 0;

  for (const entity of latest) {
    countLevel(distribution, entity.level);
    let entityCovered = 0;
    let entityApplicable = 0;
    for (const [ruleId, outcome] of Object.entries(entity.outcomes)) {
      const rule = perRule.get(ruleId);
      if (!rule) {
        continue; // a rule removed since the last evaluation
      }
      rule.applicable += 1;
      entityApplicable += 1;
      if (outcome === 'pass') {
        rule.passed += 1;
        entityCovered += 1;
      } else if (outcome === 'exempt') {
        rule.exempt += 1;
        entityCovered += 1;
      } else {
        rule.failed += 1;
      }
    }
    covered += entityCovered;
    applicable += entityApplicable;
    for (const group of [
      tally(owners, entity.owner ?? UNKNOWN),
      tally(systems, entity.system ?? UNKNOWN),
    ]) {
      group.entities += 1;
      group.covered += entityCovered;
      group.applicable += entityApplicable;
      countLevel(group, entity.level);
    }
  }

  for (const rule of perRule.values()) {
    rule.coverage = share(rule.passed + rule.exempt, rule.applicable);
  }

  const days = new Map<
    string,
    TrendDay & { covered: number; applicable: number }
  >();
  for (const row of history) {
    let day = days.get(row.day);
    if (!day) {
      day = {
        day: row.day,
        entities: 0,
        coverage: 1,
        covered: 0,
        applicable: 0,
        ...emptyCounts(levels),
      };
      days.set(row.day, day);
    }
    day.entities += row.entities;
    day.covered += row.passed + row.exempt;
    day.applicable += row.passed + row.exempt + row.failed;
    if (row.level !== undefined && row.level in day.levels) {
      day.levels[row.level] += row.entities;
    } else {
      day.unranked += row.entities;
    }
  }
  const trend = [...days.values()]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map(({ covered: c, applicable: a, ...day }) => ({
      ...day,
      coverage: share(c, a),
    }));

  return {
    ...(options.evaluatedAt && { evaluatedAt: options.evaluatedAt }),
    entities: latest.length,
    coverage: share(covered, applicable),
    levels,
    distribution,
    rules: [...perRule.values()],
    owners: coverageOf(owners),
    systems: coverageOf(systems),
    trend,
  };
}
