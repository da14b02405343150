import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ExemptionRecord } from '@internal/plugin-scorecard-common';
import { ExemptionStore } from './ExemptionStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const PAYMENTS_API = 'component:default/payments-api';
const LEDGER_API = 'component:default/ledger-api';
const PLATFORM = 'user:default/pat.platform';

function exemption(
  id: string,
  overrides: Partial<ExemptionRecord> = {},
): ExemptionRecord {
  return {
    id,
    entityRef: PAYMENTS_API,
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

const approval = {
  status: 'approved' as const,
  decidedBy: PLATFORM,
  decidedAt: '2026-11-29T12:00:00.000Z',
};

describe.each(databases.eachSupportedId())('ExemptionStore on %s', id => {
  let store: ExemptionStore;
  beforeEach(async () => {
    const knex = await databases.init(id);
    store = await ExemptionStore.create({
      database: mockServices.database({ knex }),
    });
  });

  it('stores a request and reads it back by id', async () => {
    await store.insert(exemption('a'));
    expect(await store.get('a')).toEqual(exemption('a'));
    expect(await store.get('b')).toBeUndefined();
  });

  it('keeps one open request per rule and entity, as the database decides', async () => {
    expect(await store.insert(exemption('first'))).toBe(true);
    // Concurrent requests from two replicas: the database stores one.
    const results = await Promise.all(
      ['second', 'third', 'fourth'].map(other =>
        store.insert(exemption(other)),
      ),
    );
    expect(results).toEqual([false, false, false]);
    expect((await store.list({})).map(e => e.id)).toEqual(['first']);

    // Another rule, another entity, or a decided request: no conflict.
    expect(
      await store.insert(exemption('runbook', { ruleId: 'runbook' })),
    ).toBe(true);
    expect(
      await store.insert(exemption('ledger', { entityRef: LEDGER_API })),
    ).toBe(true);
    await store.decide('first', 'requested', approval);
    expect(await store.insert(exemption('next'))).toBe(true);
    expect(await store.insert(exemption('another'))).toBe(false);
  });

  it('lists newest request first, by entity and by stored status', async () => {
    await store.insert(exemption('old'));
    await store.insert(
      exemption('new', {
        ruleId: 'runbook',
        requestedAt: '2026-11-30T09:00:00.000Z',
      }),
    );
    await store.insert(
      exemption('ledger', {
        entityRef: LEDGER_API,
        requestedAt: '2026-11-28T09:00:00.000Z',
      }),
    );
    await store.decide('old', 'requested', approval);

    expect((await store.list({})).map(e => e.id)).toEqual([
      'new',
      'old',
      'ledger',
    ]);
    expect(
      (await store.list({ entityRef: LEDGER_API })).map(e => e.id),
    ).toEqual(['ledger']);
    expect(
      (await store.list({ entityRef: PAYMENTS_API, status: 'requested' })).map(
        e => e.id,
      ),
    ).toEqual(['new']);
    expect((await store.list({ status: 'revoked' })).map(e => e.id)).toEqual(
      [],
    );
  });

  it('runs only approved exemptions until, not including, their expiry', async () => {
    await store.insert(exemption('approved'));
    await store.insert(exemption('waiting', { ruleId: 'runbook' }));
    await store.insert(
      exemption('ledger', {
        entityRef: LEDGER_API,
        expiresAt: '2026-12-10T00:00:00.000Z',
      }),
    );
    await store.decide('approved', 'requested', approval);
    await store.decide('ledger', 'requested', approval);

    const ids = async (now: string, entityRef?: string) =>
      (await store.running(now, entityRef)).map(e => e.id).sort();
    expect(await ids('2026-12-01T00:00:00.000Z')).toEqual([
      'approved',
      'ledger',
    ]);
    expect(await ids('2026-12-01T00:00:00.000Z', PAYMENTS_API)).toEqual([
      'approved',
    ]);
    expect(await ids('2026-12-10T00:00:00.000Z')).toEqual(['approved']);
    expect(await ids('2026-12-31T00:00:00.000Z')).toEqual([]);
  });

  it('moves an exemption through its decisions, one decision winning', async () => {
    await store.insert(exemption('a'));
    expect(
      await store.decide('a', 'requested', {
        ...approval,
        comment: 'Fine until the migration',
      }),
    ).toBe(true);
    // A second approver who loaded the request before finds it decided.
    expect(await store.decide('a', 'requested', approval)).toBe(false);
    expect(await store.get('a')).toEqual(
      exemption('a', {
        status: 'approved',
        approvedBy: PLATFORM,
        decidedBy: PLATFORM,
        decidedAt: '2026-11-29T12:00:00.000Z',
        decisionComment: 'Fine until the migration',
      }),
    );

    expect(
      await store.decide('a', 'approved', {
        status: 'revoked',
        decidedBy: 'user:default/rita.reviewer',
        decidedAt: '2026-11-30T08:00:00.000Z',
      }),
    ).toBe(true);
    const revoked = await store.get('a');
    expect(revoked).toMatchObject({
      status: 'revoked',
      decidedBy: 'user:default/rita.reviewer',
    });
    expect(revoked?.approvedBy).toBeUndefined();
    expect(revoked?.decisionComment).toBeUndefined();
    expect(await store.decide('missing', 'requested', approval)).toBe(false);
  });
});
