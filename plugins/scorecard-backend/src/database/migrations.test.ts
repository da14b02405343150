import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ExemptionStore } from './ExemptionStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const migrations = {
  directory: resolvePackagePath(
    '@internal/plugin-scorecard-backend',
    'migrations',
  ),
  tableName: 'scorecard_knex_migrations',
};

function row(id: string, overrides: Record<string, string> = {}) {
  return {
    id,
    entity_ref: 'component:default/payments-api',
    rule_id: 'on-call',
    reason: 'Being decommissioned in December',
    risk_signoff: 'Carla CTO',
    expires_at: '2026-12-31T00:00:00.000Z',
    status: 'requested',
    requested_by: 'user:default/paula.payments',
    requested_at: '2026-11-29T09:00:00.000Z',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())('migrations on %s', id => {
  it('resolve open requests stored twice before the database held one per rule and entity', async () => {
    const knex = await databases.init(id);
    await knex.migrate.up({ ...migrations, name: '20261129000000_init.js' });
    // What concurrent requests left behind: three open for on-call, the oldest 'b'.
    await knex('scorecard_exemptions').insert([
      row('c', { requested_at: '2026-11-29T09:00:00.000Z' }),
      row('b', { requested_at: '2026-11-29T08:59:59.999Z' }),
      row('a', { requested_at: '2026-11-29T09:00:00.000Z' }),
      row('other-rule', { rule_id: 'runbook' }),
      // requested at the same instant: the lower id stays open
      row('y', { rule_id: 'slo' }),
      row('x', { rule_id: 'slo' }),
      row('decided', { status: 'rejected', decided_by: 'user:default/pat' }),
    ]);

    const store = await ExemptionStore.create({
      database: mockServices.database({ knex }),
    });

    const byId = new Map((await store.list({})).map(e => [e.id, e]));
    expect(byId.get('b')?.status).toBe('requested');
    expect(byId.get('other-rule')?.status).toBe('requested');
    for (const duplicate of ['a', 'c']) {
      expect(byId.get(duplicate)).toMatchObject({
        status: 'rejected',
        decidedBy: 'plugin:scorecard',
        decidedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
        decisionComment: expect.stringContaining(
          'Closed as a duplicate: request b,',
        ),
      });
    }
    expect(byId.get('x')?.status).toBe('requested');
    expect(byId.get('y')).toMatchObject({
      status: 'rejected',
      decisionComment: expect.stringContaining('request x,'),
    });
    expect(byId.get('decided')).toMatchObject({
      status: 'rejected',
      decidedBy: 'user:default/pat',
    });
    // and from now on the database refuses a second open request
    // (better-sqlite3's errors come from another realm than jest's: compared by message)
    const refused: unknown = await knex('scorecard_exemptions')
      .insert(row('d'))
      .then(
        () => undefined,
        error => error,
      );
    expect(String((refused as Error | undefined)?.message)).toMatch(/unique/i);

    await knex.migrate.down({
      ...migrations,
      name: '20261207000000_one_open_request.js',
    });
    await knex('scorecard_exemptions').insert(row('d'));
  });
});
