import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FiguresResponse } from '@internal/plugin-insights-common';
import request from 'supertest';
import insightsPlugin from './index';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

function scaffoldEvent(overrides: object = {}) {
  return {
    id: 'f1e2d3c4b5a69788',
    name: 'scaffold.completed',
    service: 'ledger-api',
    templateRef: 'template:default/http-service',
    user: 'user:default/paula.payments',
    taskId: '2c4e6a80-1b3d-4f5a-9c7e-0a1b2c3d4e5f',
    duration_ms: 4200,
    attributes: {
      template: 'http-service',
      owner: 'group:default/payments-team',
      language: 'node',
    },
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

const services = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ledger-api',
      annotations: {
        'backstage.io/source-template': 'template:default/http-service',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'payments-team',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'legacy-billing' },
    spec: { type: 'service', lifecycle: 'deprecated', owner: 'billing-team' },
  },
];

describe.each(databases.eachSupportedId())('insights backend on %s', id => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    const knex = await databases.init(id);
    ({ server } = await startTestBackend({
      features: [
        insightsPlugin,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: services }),
      ],
    }));
  });

  const post = (body: unknown, auth = mockCredentials.service.header()) =>
    request(server)
      .post('/api/insights/events')
      .set('authorization', auth)
      .send(body as object);

  it('stores a good event once and ignores its duplicate', async () => {
    const first = await post(scaffoldEvent());
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: 'f1e2d3c4b5a69788', stored: true });
    const again = await post(scaffoldEvent());
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: 'f1e2d3c4b5a69788', stored: false });

    const figures = await request(server)
      .get('/api/insights/figures')
      .query({ weeks: 2 })
      .set('authorization', mockCredentials.user.header());
    expect(figures.status).toBe(200);
    const body: FiguresResponse = figures.body;
    expect(body.weeks).toHaveLength(2);
    const thisWeek = body.weeks[1];
    expect(thisWeek.scaffolds).toMatchObject({ value: 1, count: 1 });
    expect(thisWeek.scaffoldDurationP50.value).toBe(4.2);
    expect(thisWeek.createdThroughPortal).toMatchObject({
      value: 0.5,
      count: 2,
    });
    expect(body.teams).toEqual([
      'group:default/billing-team',
      'group:default/payments-team',
    ]);
    // no scorecard installed here, no GitHub configured: said, not zero
    expect(thisWeek.guardrailCoverage).toEqual({ count: 0 });
    expect(body.github).toEqual({
      configured: false,
      complete: false,
      problem: 'GitHub is not configured',
    });

    const billing = await request(server)
      .get('/api/insights/figures')
      .query({ weeks: 1, team: 'group:default/billing-team' })
      .set('authorization', mockCredentials.user.header());
    expect(billing.body.weeks[0].scaffolds.value).toBe(0);
  });

  it('refuses bad events with 400 naming the field, and stores nothing', async () => {
    const cases: Array<[object, string]> = [
      [
        { ...scaffoldEvent({ id: 'x1y2z3a4b5c6' }), duration_ms: -1 },
        "field 'duration_ms'",
      ],
      [
        scaffoldEvent({ id: 'x1y2z3a4b5c7', name: 'Scaffold Completed' }),
        "field 'name'",
      ],
      [
        scaffoldEvent({ id: 'x1y2z3a4b5c8', occurredAt: 'yesterday' }),
        "field 'occurredAt'",
      ],
      [
        scaffoldEvent({
          id: 'x1y2z3a4b5c9',
          attributes: { owner: { nested: 1 } },
        }),
        "field 'attributes.owner'",
      ],
      [
        { ...scaffoldEvent({ id: 'x1y2z3a4b5d0' }), extra: true },
        "unknown field 'extra'",
      ],
      [scaffoldEvent({ id: 'no' }), "field 'id'"],
      // PostgreSQL refuses NUL in text, SQLite keeps it: both refuse it here, as 400.
      [
        scaffoldEvent({ id: 'x1y2z3a4b5d2', service: 'ledger\u0000api' }),
        "field 'service': must not contain control characters",
      ],
      [
        scaffoldEvent({
          id: 'x1y2z3a4b5d3',
          attributes: { owner: 'payments\u0000team' },
        }),
        "field 'attributes.owner': must not contain control characters",
      ],
      [
        scaffoldEvent({
          id: 'x1y2z3a4b5d4',
          occurredAt: '2026-02-30T10:00:00Z',
        }),
        "field 'occurredAt'",
      ],
    ];
    for (const [body, message] of cases) {
      const res = await post(body);
      expect([res.status, res.body.error?.message]).toEqual([
        400,
        expect.stringContaining(message),
      ]);
    }
    const mismatch = await request(server)
      .post('/api/insights/events')
      .set('authorization', mockCredentials.service.header())
      .set('idempotency-key', 'another-key-1234')
      .send(scaffoldEvent({ id: 'x1y2z3a4b5d1' }));
    expect(mismatch.status).toBe(400);

    const figures = await request(server)
      .get('/api/insights/figures')
      .query({ weeks: 1 })
      .set('authorization', mockCredentials.user.header());
    expect(figures.body.weeks[0].scaffolds.value).toBe(1);
  });

  it('needs credentials, and only services send events', async () => {
    const none = await post(
      scaffoldEvent({ id: 'n0n0n0n0n0n0' }),
      mockCredentials.none.header(),
    );
    expect(none.status).toBe(401);
    const user = await post(
      scaffoldEvent({ id: 'u5u5u5u5u5u5' }),
      mockCredentials.user.header(),
    );
    expect(user.status).toBe(403);
    for (const route of ['/api/insights/figures', '/api/insights/metrics']) {
      const res = await request(server)
        .get(route)
        .set('authorization', mockCredentials.none.header());
      expect([route, res.status]).toEqual([route, 401]);
    }
    const badQuery = await request(server)
      .get('/api/insights/figures')
      .query({ weeks: 100 })
      .set('authorization', mockCredentials.user.header());
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.message).toContain("field 'weeks'");
  });

  it('describes its API at /openapi.json, the spec its requests are validated against', async () => {
    const res = await request(server)
      .get('/api/insights/openapi.json')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.paths['/api/insights/events'].post.operationId).toBe(
      'IngestEvent',
    );
  });

  it('serves the current week as OpenMetrics for Prometheus', async () => {
    const res = await request(server)
      .get('/api/insights/metrics')
      .set('authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(
      'application/openmetrics-text',
    );
    const lines = res.text.trim().split('\n');
    expect(lines).toContain('# TYPE portal_scaffolds_week gauge');
    expect(lines).toContain('portal_scaffolds_week{team="all"} 1');
    expect(lines).toContain(
      'portal_scaffolds_week{team="group:default/payments-team"} 1',
    );
    expect(lines).toContain(
      'portal_scaffold_duration_p50_seconds{team="all"} 4.2',
    );
    expect(lines).toContain(
      '# UNIT portal_scaffold_duration_p50_seconds seconds',
    );
    // nothing measured, nothing reported
    expect(res.text).not.toMatch(/^portal_lead_time_hours/m);
    expect(lines[lines.length - 1]).toBe('# EOF');
  });

  // Last: it adds a scaffold to this week, which the figures above count.
  it('stores a timestamp with nanoseconds and an offset, on both databases', async () => {
    const occurredAt = new Date(Date.now() - 3_600_000);
    const local = new Date(occurredAt.getTime() + 330 * 60_000)
      .toISOString()
      .slice(0, 23);
    const scaffoldsThisWeek = async () => {
      const figures = await request(server)
        .get('/api/insights/figures')
        .query({ weeks: 1 })
        .set('authorization', mockCredentials.user.header());
      expect(figures.status).toBe(200);
      return (figures.body as FiguresResponse).weeks[0].scaffolds.count;
    };
    const before = await scaffoldsThisWeek();
    const res = await post(
      scaffoldEvent({
        id: 'nanoseconds-offset-1',
        service: 'nanos-api',
        occurredAt: `${local}456789+05:30`,
      }),
    );
    expect(res.status).toBe(201);
    // Counted in this week: stored as the instant it names, not as the text it came in.
    expect(await scaffoldsThisWeek()).toBe(before + 1);
  });
});
