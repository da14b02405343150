import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  EntityHistoryDay,
  EntityLevels,
  ExemptionRecord,
  RuleOutcome,
  RuleResult,
} from '@internal/plugin-scorecard-common';
import { Knex } from 'knex';
import { ScoredEntity } from '../scoring/score';
import { chunks, ExemptionRow, migratedClient, toExemption } from './tables';

type LatestRow = {
  entity_ref: string;
  owner: string | null;
  system: string | null;
  level: string | null;
  passed: number;
  exempt: number;
  failed: number;
  results: string;
  outcomes: string;
  fingerprint: string;
  history_day: string;
  evaluated_at: string;
};

/** What the overview aggregates, per entity. */
export interface LatestSummary {
  entityRef: string;
  owner?: string;
  system?: string;
  level?: string;
  outcomes: Record<string, RuleOutcome>;
}

/** The stored raw results of one entity. */
export interface LatestResults {
  entityRef: string;
  owner?: string;
  system?: string;
  results: RuleResult[];
  evaluatedAt: string;
}

/** One day of the whole catalog, summed over entities. */
export interface HistoryAggregate {
  day: string;
  level?: string;
  entities: number;
  passed: number;
  exempt: number;
  failed: number;
}

// The columns the latest results and the history share.
function summaryColumns(s: ScoredEntity) {
  return {
    entity_ref: s.entityRef,
    owner: s.owner ?? null,
    system: s.system ?? null,
    level: s.level ?? null,
    passed: s.passed,
    exempt: s.exempt,
    failed: s.failed,
  };
}

/**
 * The scorecard's results: the latest per entity, a daily history, and a record of each
 * sweep (exemptions are in the ExemptionStore). Same schema on SQLite and PostgreSQL;
 * timestamps are ISO 8601 strings in UTC, which sort the same as the instants they name.
 */
export class ScorecardStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<ScorecardStore> {
    return new ScorecardStore(await migratedClient(options));
  }

  /**
   * Fingerprint, history day and level of every stored entity: unchanged ones are not
   * written again, and a lower level than stored is a drop to tell the owner about.
   */
  async latestIndex(): Promise<
    Map<string, { fingerprint: string; historyDay: string; level?: string }>
  > {
    const rows = await this.db<LatestRow>('scorecard_latest').select(
      'entity_ref',
      'fingerprint',
      'history_day',
      'level',
    );
    return new Map(
      rows.map(row => [
        row.entity_ref,
        {
          fingerprint: row.fingerprint,
          historyDay: row.history_day,
          ...(row.level && { level: row.level }),
        },
      ]),
    );
  }

  /** Stores entities as the latest results and as today's history, in one transaction. */
  async writeScores(
    scores: ScoredEntity[],
    day: string,
    evaluatedAt: string,
  ): Promise<void> {
    if (scores.length === 0) {
      return;
    }
    await this.db.transaction(async tx => {
      for (const chunk of chunks(scores)) {
        await tx<LatestRow>('scorecard_latest')
          .insert(
            chunk.map(s => ({
              ...summaryColumns(s),
              results: JSON.stringify(s.results),
              outcomes: JSON.stringify(s.outcomes),
              fingerprint: s.fingerprint,
              history_day: day,
              evaluated_at: evaluatedAt,
            })),
          )
          .onConflict('entity_ref')
          .merge();
        await tx('scorecard_history')
          .insert(
            chunk.map(s => ({
              day,
              ...summaryColumns(s),
              failing: JSON.stringify(
                Object.entries(s.outcomes)
                  .filter(([, outcome]) => outcome === 'fail')
                  .map(([ruleId]) => ruleId),
              ),
            })),
          )
          .onConflict(['day', 'entity_ref'])
          .merge();
      }
    });
  }

  /** Forgets the latest results of entities gone from the catalog; history stays. */
  async deleteLatest(entityRefs: string[]): Promise<void> {
    for (const chunk of chunks(entityRefs)) {
      await this.db<LatestRow>('scorecard_latest')
        .whereIn('entity_ref', chunk)
        .delete();
    }
  }

  async pruneHistory(beforeDay: string): Promise<number> {
    return this.db('scorecard_history').where('day', '<', beforeDay).delete();
  }

  async latestResults(entityRef: string): Promise<LatestResults | undefined> {
    const row = await this.db<LatestRow>('scorecard_latest')
      .where('entity_ref', entityRef)
      .first('entity_ref', 'owner', 'system', 'results', 'evaluated_at');
    return row
      ? {
          entityRef: row.entity_ref,
          ...(row.owner && { owner: row.owner }),
          ...(row.system && { system: row.system }),
          results: JSON.parse(row.results),
          evaluatedAt: row.evaluated_at,
        }
      : undefined;
  }

  /** The stored results of the entities these owners (lower-case references) own. */
  async latestResultsOfOwners(owners: string[]): Promise<LatestResults[]> {
    const rows = await this.db<LatestRow>('scorecard_latest')
      .whereIn('owner', owners)
      .orderBy('entity_ref', 'asc')
      .select('entity_ref', 'owner', 'system', 'results', 'evaluated_at');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      ...(row.owner && { owner: row.owner }),
      ...(row.system && { system: row.system }),
      results: JSON.parse(row.results),
      evaluatedAt: row.evaluated_at,
    }));
  }

  /**
   * The stored results of one entity with all its exemptions, newest request first, in
   * one round trip: what every service page asks for.
   */
  async entityView(
    entityRef: string,
  ): Promise<
    { latest: LatestResults; exemptions: ExemptionRecord[] } | undefined
  > {
    const rows = await this.db('scorecard_latest as l')
      .leftJoin('scorecard_exemptions as e', 'e.entity_ref', 'l.entity_ref')
      .where('l.entity_ref', entityRef)
      .orderBy('e.requested_at', 'desc')
      .select(
        'l.owner as latest_owner',
        'l.system as latest_system',
        'l.results as latest_results',
        'l.evaluated_at as latest_evaluated_at',
        'e.*',
      );
    if (rows.length === 0) {
      return undefined;
    }
    const [first] = rows;
    return {
      latest: {
        entityRef,
        ...(first.latest_owner && { owner: first.latest_owner }),
        ...(first.latest_system && { system: first.latest_system }),
        results: JSON.parse(first.latest_results),
        evaluatedAt: first.latest_evaluated_at,
      },
      exemptions: rows
        .filter(row => row.id !== null && row.id !== undefined)
        .map(row => toExemption(row as ExemptionRow)),
    };
  }

  async latestSummaries(): Promise<LatestSummary[]> {
    const rows = await this.db<LatestRow>('scorecard_latest').select(
      'entity_ref',
      'owner',
      'system',
      'level',
      'outcomes',
    );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      ...(row.owner && { owner: row.owner }),
      ...(row.system && { system: row.system }),
      ...(row.level && { level: row.level }),
      outcomes: JSON.parse(row.outcomes),
    }));
  }

  async entityHistory(
    entityRef: string,
    sinceDay: string,
  ): Promise<EntityHistoryDay[]> {
    const rows = await this.db('scorecard_history')
      .where('entity_ref', entityRef)
      .andWhere('day', '>=', sinceDay)
      .orderBy('day', 'asc')
      .select('day', 'level', 'passed', 'exempt', 'failed', 'failing');
    return rows.map(row => ({
      day: row.day,
      ...(row.level && { level: row.level }),
      passed: Number(row.passed),
      exempt: Number(row.exempt),
      failed: Number(row.failed),
      failing: JSON.parse(row.failing),
    }));
  }

  /**
   * Per day and level: how many entities, and their summed rule outcomes; only one
   * owner's entities when `owner` is given.
   */
  async historyAggregates(
    sinceDay: string,
    owner?: string,
  ): Promise<HistoryAggregate[]> {
    const query = this.db('scorecard_history').where('day', '>=', sinceDay);
    if (owner) {
      query.andWhere('owner', owner);
    }
    // Counts and sums arrive as strings from PostgreSQL and as numbers from SQLite.
    const rows: Array<
      { day: string; level: string | null } & Record<
        'entities' | 'passed' | 'exempt' | 'failed',
        string | number
      >
    > = await query
      .groupBy('day', 'level')
      .orderBy('day', 'asc')
      .select('day', 'level')
      .count({ entities: '*' })
      .sum({ passed: 'passed', exempt: 'exempt', failed: 'failed' });
    return rows.map(row => ({
      day: row.day,
      ...(row.level && { level: row.level }),
      entities: Number(row.entities),
      passed: Number(row.passed),
      exempt: Number(row.exempt),
      failed: Number(row.failed),
    }));
  }

  /** Each entity's level now and on the first day it was evaluated. */
  async levels(): Promise<EntityLevels[]> {
    const firsts = this.db('scorecard_history')
      .select('entity_ref')
      .min({ first_day: 'day' })
      .groupBy('entity_ref')
      .as('firsts');
    const rows: Array<
      Record<
        'entity_ref' | 'owner' | 'level' | 'first_day' | 'first_level',
        string | null
      >
    > = await this.db('scorecard_latest as l')
      .leftJoin(firsts, 'firsts.entity_ref', 'l.entity_ref')
      .leftJoin('scorecard_history as h', function join() {
        this.on('h.entity_ref', '=', 'l.entity_ref').andOn(
          'h.day',
          '=',
          'firsts.first_day',
        );
      })
      .select(
        'l.entity_ref as entity_ref',
        'l.owner as owner',
        'l.level as level',
        'firsts.first_day as first_day',
        'h.level as first_level',
      );
    return rows.map(row => ({
      entityRef: row.entity_ref as string,
      ...(row.owner && { owner: row.owner }),
      ...(row.level && { level: row.level }),
      ...(row.first_day && { firstDay: row.first_day }),
      ...(row.first_level && { firstLevel: row.first_level }),
    }));
  }

  async recordSweep(sweep: {
    finishedAt: string;
    entities: number;
    durationMs: number;
  }): Promise<void> {
    await this.db('scorecard_sweeps').insert({
      finished_at: sweep.finishedAt,
      entities: sweep.entities,
      duration_ms: sweep.durationMs,
    });
    // Only the recent past matters; keep the table small.
    const keep = await this.db('scorecard_sweeps')
      .orderBy('id', 'desc')
      .limit(1)
      .offset(99)
      .first('id');
    if (keep) {
      await this.db('scorecard_sweeps').where('id', '<', keep.id).delete();
    }
  }

  async lastSweep(): Promise<{ finishedAt: string } | undefined> {
    const row = await this.db('scorecard_sweeps')
      .orderBy('id', 'desc')
      .first('finished_at');
    return row ? { finishedAt: row.finished_at } : undefined;
  }
}
