import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ExemptionRecord } from '@internal/plugin-scorecard-common';
import { Knex } from 'knex';
import fs from 'node:fs';
import { ScoredEntity } from '../scoring/score';
import { ExemptionStore } from './ExemptionStore';
import { ScorecardStore } from './ScorecardStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const PAYMENTS = 'group:default/payments-team';
const BILLING = 'group:default/billing-team';

function scored(
  entityRef: string,
  overrides: Partial<ScoredEntity> = {},
): ScoredEntity {
  return {
    entityRef,
    owner: PAYMENTS,
    system: 'system:default/payments',
    results: [
      {
        ruleId: 'runbook',
        outcome: 'pass',
        message: 'A link has type runbook.',
      },
      {
        ruleId: 'on-call',
        outcome: 'fail',
        message: 'Annotation pagerduty/service-id is missing.',
      },
    ],
    level: 'bronze',
    passed: 1,
    exempt: 0,
    failed: 1,
    outcomes: { runbook: 'pass', 'on-call': 'fail' },
    fingerprint: `fingerprint of ${entityRef}`,
    ...overrides,
  };
}

const gold = (entityRef: string, overrides: Partial<ScoredEntity> = {}) =>
  scored(entityRef, {
    level: 'gold',
    passed: 2,
    failed: 0,
    outcomes: { runbook: 'pass', 'on-call': 'pass' },
    fingerprint: `gold ${entityRef}`,
    ...overrides,
  });

function exemption(
  id: string,
  overrides: Partial<ExemptionRecord> = {},
): ExemptionRecord {
  return {
    id,
    entityRef: 'component:default/payments-api',
    ruleId: 'on-call',
    reason: 'Being decommissioned in December',
    riskSignoff: 'user:default/carla.cto',
    expiresAt: '2026-12-31T00:00:00.000Z',
    status: 'requested',
    requestedBy: 'user:default/paula.payments',
    requestedAt: '2026-11-29T09:00:00.000Z',
    ...overrides,
  };
}

async function count(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

describe.each(databases.eachSupportedId())('ScorecardStore on %s', id => {
  let knex: Knex;
  let store: ScorecardStore;
  beforeEach(async () => {
    knex = await databases.init(id);
    store = await ScorecardStore.create({
      database: mockServices.database({ knex }),
    });
  });

  it('creates its tables through its own migrations, once', async () => {
    for (const table of [
      'scorecard_latest',
      'scorecard_history',
      'scorecard_exemptions',
      'scorecard_sweeps',
    ]) {
      expect([table, await knex.schema.hasTable(table)]).toEqual([table, true]);
    }
    await ScorecardStore.create({ database: mockServices.database({ knex }) });
    await ExemptionStore.create({ database: mockServices.database({ knex }) });
    // each migration recorded once, however many stores ran them
    expect(await count(knex, 'scorecard_knex_migrations')).toBe(
      fs
        .readdirSync(
          resolvePackagePath(
            '@internal/plugin-scorecard-backend',
            'migrations',
          ),
        )
        .filter(file => file.endsWith('.js')).length,
    );
  });

  it('writes a batch larger than one statement as latest results and history, in one go', async () => {
    const batch = Array.from({ length: 600 }, (_, i) =>
      scored(`component:default/svc-${i}`),
    );
    await store.writeScores(batch, '2026-11-29', '2026-11-29T09:00:00.000Z');
    const index = await store.latestIndex();
    expect(index.size).toBe(600);
    expect(index.get('component:default/svc-599')).toEqual({
      fingerprint: 'fingerprint of component:default/svc-599',
      historyDay: '2026-11-29',
      level: 'bronze',
    });
    expect(await count(knex, 'scorecard_history')).toBe(600);

    // The same day again replaces that day's row; a new day adds one.
    await store.writeScores(
      [gold('component:default/svc-0')],
      '2026-11-29',
      '2026-11-29T10:00:00.000Z',
    );
    await store.writeScores(
      [gold('component:default/svc-0')],
      '2026-11-30',
      '2026-11-30T09:00:00.000Z',
    );
    expect(await count(knex, 'scorecard_history')).toBe(601);
    expect(await count(knex, 'scorecard_latest')).toBe(600);
    expect((await store.latestIndex()).get('component:default/svc-0')).toEqual({
      fingerprint: 'gold component:default/svc-0',
      historyDay: '2026-11-30',
      level: 'gold',
    });
  });

  it('writes nothing for an empty batch', async () => {
    await store.writeScores([], '2026-11-29', '2026-11-29T09:00:00.000Z');
    expect(await count(knex, 'scorecard_latest')).toBe(0);
    expect(await count(knex, 'scorecard_history')).toBe(0);
  });

  it('reads the raw results of one entity', async () => {
    const entity = scored('component:default/payments-api', {
      system: undefined,
    });
    await store.writeScores([entity], '2026-11-29', '2026-11-29T09:00:00.000Z');
    expect(await store.latestResults('component:default/payments-api')).toEqual(
      {
        entityRef: 'component:default/payments-api',
        owner: PAYMENTS,
        results: entity.results,
        evaluatedAt: '2026-11-29T09:00:00.000Z',
      },
    );
    expect(
      await store.latestResults('component:default/nothing'),
    ).toBeUndefined();
  });

  it('forgets the latest results of entities gone from the catalog, keeping their history', async () => {
    const refs = Array.from(
      { length: 300 },
      (_, i) => `component:default/svc-${i}`,
    );
    await store.writeScores(
      refs.map(ref => scored(ref)),
      '2026-11-29',
      '2026-11-29T09:00:00.000Z',
    );
    await store.deleteLatest(refs.slice(1));
    expect([...(await store.latestIndex()).keys()]).toEqual([refs[0]]);
    expect(await count(knex, 'scorecard_history')).toBe(300);
    await store.deleteLatest([]);
    expect((await store.latestIndex()).size).toBe(1);
  });

  it('prunes history older than the day given, and says how much', async () => {
    const ref = 'component:default/payments-api';
    for (const day of ['2026-08-30', '2026-08-31', '2026-09-01']) {
      await store.writeScores([scored(ref)], day, `${day}T09:00:00.000Z`);
    }
    expect(await store.pruneHistory('2026-08-31')).toBe(1);
    expect(
      (await store.entityHistory(ref, '2000-01-01')).map(d => d.day),
    ).toEqual(['2026-08-31', '2026-09-01']);
    expect(await store.pruneHistory('2026-08-31')).toBe(0);
  });

  it('answers an entity view in one read: results with every exemption, newest request first', async () => {
    const exemptions = await ExemptionStore.create({
      database: mockServices.database({ knex }),
    });
    const ref = 'component:default/payments-api';
    expect(await store.entityView(ref)).toBeUndefined();

    await store.writeScores(
      [scored(ref)],
      '2026-11-29',
      '2026-11-29T09:00:00.000Z',
    );
    expect(await store.entityView(ref)).toEqual({
      latest: {
        entityRef: ref,
        owner: PAYMENTS,
        system: 'system:default/payments',
        results: scored(ref).results,
        evaluatedAt: '2026-11-29T09:00:00.000Z',
      },
      exemptions: [],
    });

    await exemptions.insert(exemption('a'));
    await exemptions.insert(
      exemption('b', {
        ruleId: 'runbook',
        requestedAt: '2026-11-29T10:00:00.000Z',
      }),
    );
    await exemptions.insert(
      exemption('other', { entityRef: 'component:default/ledger-api' }),
    );
    await exemptions.decide('a', 'requested', {
      status: 'approved',
      decidedBy: 'user:default/pat.platform',
      decidedAt: '2026-11-29T11:00:00.000Z',
    });
    const view = await store.entityView(ref);
    expect(view?.exemptions.map(e => [e.id, e.status])).toEqual([
      ['b', 'requested'],
      ['a', 'approved'],
    ]);
    expect(view?.exemptions[1]).toEqual(
      exemption('a', {
        status: 'approved',
        approvedBy: 'user:default/pat.platform',
        decidedBy: 'user:default/pat.platform',
        decidedAt: '2026-11-29T11:00:00.000Z',
      }),
    );
  });

  it('lists what the overview aggregates for every entity', async () => {
    await store.writeScores(
      [
        scored('component:default/a', { owner: undefined, system: undefined }),
        gold('component:default/b', { owner: BILLING }),
      ],
      '2026-11-29',
      '2026-11-29T09:00:00.000Z',
    );
    const summaries = await store.latestSummaries();
    expect(
      summaries.sort((x, y) => x.entityRef.localeCompare(y.entityRef)),
    ).toEqual([
      {
        entityRef: 'component:default/a',
        level: 'bronze',
        outcomes: { runbook: 'pass', 'on-call': 'fail' },
      },
      {
        entityRef: 'component:default/b',
        owner: BILLING,
        system: 'system:default/payments',
        level: 'gold',
        outcomes: { runbook: 'pass', 'on-call': 'pass' },
      },
    ]);
  });

  it("tells one entity's history from a day on, oldest first, with the failing rules", async () => {
    const ref = 'component:default/payments-api';
    await store.writeScores([gold(ref)], '2026-11-30', '2026-11-30T09:00:00Z');
    await store.writeScores(
      [scored(ref)],
      '2026-11-28',
      '2026-11-28T09:00:00Z',
    );
    await store.writeScores(
      [scored(ref, { level: undefined })],
      '2026-11-27',
      '2026-11-27T09:00:00Z',
    );
    await store.writeScores(
      [scored('component:default/other')],
      '2026-11-29',
      '2026-11-29T09:00:00Z',
    );
    expect(await store.entityHistory(ref, '2026-11-28')).toEqual([
      {
        day: '2026-11-28',
        level: 'bronze',
        passed: 1,
        exempt: 0,
        failed: 1,
        failing: ['on-call'],
      },
      {
        day: '2026-11-30',
        level: 'gold',
        passed: 2,
        exempt: 0,
        failed: 0,
        failing: [],
      },
    ]);
  });

  it('sums the history per day and level, of everyone or of one owner', async () => {
    await store.writeScores(
      [
        scored('component:default/a'),
        scored('component:default/b', { exempt: 1, failed: 0 }),
        gold('component:default/c', { owner: BILLING }),
        scored('component:default/d', { level: undefined, owner: BILLING }),
      ],
      '2026-11-29',
      '2026-11-29T09:00:00Z',
    );
    await store.writeScores(
      [gold('component:default/a')],
      '2026-11-30',
      '2026-11-30T09:00:00Z',
    );
    await store.writeScores(
      [gold('component:default/a')],
      '2026-11-20',
      '2026-11-20T09:00:00Z',
    );
    const all = await store.historyAggregates('2026-11-29');
    const byKey = (rows: typeof all) =>
      rows.sort((x, y) =>
        `${x.day}${x.level}`.localeCompare(`${y.day}${y.level}`),
      );
    expect(byKey(all)).toEqual([
      {
        day: '2026-11-29',
        level: 'bronze',
        entities: 2,
        passed: 2,
        exempt: 1,
        failed: 1,
      },
      {
        day: '2026-11-29',
        level: 'gold',
        entities: 1,
        passed: 2,
        exempt: 0,
        failed: 0,
      },
      { day: '2026-11-29', entities: 1, passed: 1, exempt: 0, failed: 1 },
      {
        day: '2026-11-30',
        level: 'gold',
        entities: 1,
        passed: 2,
        exempt: 0,
        failed: 0,
      },
    ]);
    expect(byKey(await store.historyAggregates('2026-11-29', BILLING))).toEqual(
      [
        {
          day: '2026-11-29',
          level: 'gold',
          entities: 1,
          passed: 2,
          exempt: 0,
          failed: 0,
        },
        { day: '2026-11-29', entities: 1, passed: 1, exempt: 0, failed: 1 },
      ],
    );
  });

  it("tells each entity's level now and on its first day", async () => {
    await store.writeScores(
      [scored('component:default/a', { level: undefined })],
      '2026-11-27',
      '2026-11-27T09:00:00Z',
    );
    await store.writeScores(
      [scored('component:default/a'), gold('component:default/b')],
      '2026-11-28',
      '2026-11-28T09:00:00Z',
    );
    await store.writeScores(
      [gold('component:default/a')],
      '2026-11-29',
      '2026-11-29T09:00:00Z',
    );
    const levels = await store.levels();
    expect(
      levels.sort((x, y) => x.entityRef.localeCompare(y.entityRef)),
    ).toEqual([
      {
        entityRef: 'component:default/a',
        owner: PAYMENTS,
        level: 'gold',
        firstDay: '2026-11-27',
      },
      {
        entityRef: 'component:default/b',
        owner: PAYMENTS,
        level: 'gold',
        firstDay: '2026-11-28',
        firstLevel: 'gold',
      },
    ]);
  });

  it('records sweeps, keeping the last hundred, and tells when the last one ended', async () => {
    expect(await store.lastSweep()).toBeUndefined();
    for (let i = 0; i < 105; i++) {
      await store.recordSweep({
        finishedAt: new Date(Date.UTC(2026, 10, 29, 9, i)).toISOString(),
        entities: 7,
        durationMs: 120,
      });
    }
    expect(await count(knex, 'scorecard_sweeps')).toBe(100);
    expect(await store.lastSweep()).toEqual({
      finishedAt: '2026-11-29T10:44:00.000Z',
    });
  });
});
