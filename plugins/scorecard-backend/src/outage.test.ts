import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { knex as createKnex, Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import {
  as,
  AuditRecord,
  developer,
  startScorecardOn,
} from './__testUtils__/scorecardBackend';

jest.setTimeout(120_000);

// The machine's PostgreSQL, as the storage tests reach it (src/setupTests.ts).
const server = new URL(
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
);
const POSTGRES = {
  host: server.hostname,
  port: Number(server.port || 5432),
  user: decodeURIComponent(server.username || 'postgres'),
  password: decodeURIComponent(server.password),
};

/**
 * A TCP proxy on loopback in front of PostgreSQL. Cutting it is what the plugin sees when
 * the database goes away: open connections die and new ones are refused. Restoring it
 * is the database coming back, on the same address.
 */
class PostgresProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(readonly port: number) {}

  static async start(): Promise<PostgresProxy> {
    const probe = net.createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise(resolve => probe.close(resolve));
    const proxy = new PostgresProxy(port);
    await proxy.restore();
    return proxy;
  }

  async restore(): Promise<void> {
    const proxy = net.createServer(client => {
      const upstream = net.connect(POSTGRES.port, POSTGRES.host);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ]) {
        this.sockets.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
      }
    });
    await new Promise<void>(resolve =>
      proxy.listen(this.port, '127.0.0.1', resolve),
    );
    this.server = proxy;
  }

  async cut(): Promise<void> {
    const closed = new Promise(resolve => this.server?.close(resolve));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await closed;
  }
}

describe('the scorecard while its PostgreSQL is unreachable', () => {
  const database = `scorecard_outage_${randomBytes(4).toString('hex')}`;
  let proxy: PostgresProxy;
  const clients: Knex[] = [];
  let closed: Awaited<ReturnType<typeof startScorecardOn>>;
  let open: Awaited<ReturnType<typeof startScorecardOn>>;
  const openAudit: AuditRecord[] = [];

  // Each backend has its own pool, through the proxy, as a replica would.
  const client = () => {
    const knex = createKnex({
      client: 'pg',
      connection: { ...POSTGRES, port: proxy.port, database },
      pool: { min: 0, max: 4 },
      acquireConnectionTimeout: 5_000,
      // knex prints each failed attempt; the assertions say what matters
      log: { warn() {}, error() {}, debug() {}, deprecate() {} },
    });
    clients.push(knex);
    return knex;
  };

  beforeAll(async () => {
    const admin = new Client(POSTGRES);
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    proxy = await PostgresProxy.start();
    closed = await startScorecardOn(client());
    open = await startScorecardOn(
      client(),
      { gate: { onOutage: 'pass' } },
      openAudit,
    );
  });

  afterAll(async () => {
    for (const knex of clients) {
      await knex.destroy();
    }
    await proxy?.cut();
    const admin = new Client(POSTGRES);
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  const read = (app: typeof closed, path: string) =>
    request(app)
      .get(`/api/scorecard${path}`)
      .set('authorization', as(developer));
  const gate = (app: typeof closed) =>
    request(app)
      .get('/api/scorecard/gate/component/default/payments-api')
      .set('authorization', mockCredentials.service.header());
  const requestExemption = (app: typeof closed) =>
    request(app)
      .post('/api/scorecard/exemptions')
      .set('authorization', as(developer))
      .send({
        entityRef: 'component:default/fraud-rules-engine',
        ruleId: 'on-call',
        reason: 'On-call rotation starts with the new team in January',
        expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        riskSignoff: 'Rita Risk, head of risk engineering',
      });

  it('answers 503 with Retry-After while it is away, the gate as configured, and recovers without a restart', async () => {
    expect((await read(closed, '/overview')).status).toBe(200);
    expect((await gate(closed)).body.result).toBe('pass');

    await proxy.cut();

    for (const path of [
      '/entities/component/default/payments-api',
      '/overview',
      '/exemptions',
      '/levels',
    ]) {
      const res = await read(closed, path);
      expect([path, res.status, res.headers['retry-after']]).toEqual([
        path,
        503,
        '5',
      ]);
      expect(res.body.error.message).toBe(
        'The scorecard cannot reach its database right now; try again in 5 seconds',
      );
    }
    const requested = await requestExemption(closed);
    expect([requested.status, requested.headers['retry-after']]).toEqual([
      503,
      '5',
    ]);

    // scorecard.gate.onOutage: fail (the default): no decision rather than a wrong one.
    const undecided = await gate(closed);
    expect([undecided.status, undecided.headers['retry-after']]).toEqual([
      503,
      '5',
    ]);
    expect(undecided.body.error.message).toBe(
      'The deploy gate cannot decide on component:default/payments-api now: the scorecard cannot reach its database or the catalog; try again in 5 seconds',
    );

    // scorecard.gate.onOutage: pass: the deploy goes out, marked and audited as unchecked.
    const degraded = await gate(open);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({
      result: 'pass',
      violations: [],
      degraded: {
        reason: expect.stringContaining('nothing was checked'),
      },
    });
    expect(degraded.body.level).toBeUndefined();
    expect(openAudit.filter(a => a.eventId === 'gate-check').pop()).toEqual({
      eventId: 'gate-check',
      outcome: 'success',
      meta: expect.objectContaining({
        result: 'pass',
        degraded: expect.stringContaining('nothing was checked'),
      }),
    });

    await proxy.restore();

    const entity = await read(
      closed,
      '/entities/component/default/payments-api',
    );
    expect([entity.status, entity.body.level]).toEqual([200, 'gold']);
    expect((await requestExemption(closed)).status).toBe(201);
    for (const app of [closed, open]) {
      const answer = await gate(app);
      expect(answer.status).toBe(200);
      expect(answer.body.result).toBe('pass');
      expect(answer.body.degraded).toBeUndefined();
    }
  });
});

describe('the scorecard while the catalog is unavailable', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  // What CatalogClient throws while the catalog answers 503 (its database away too).
  const unavailableCatalog = () =>
    catalogServiceMock.mock({
      getEntityByRef: async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'ServiceUnavailableError',
                message: 'The catalog cannot reach its database',
              },
              request: { method: 'GET', url: '/entities/by-name/x' },
              response: { statusCode: 503 },
            }),
            { status: 503, headers: { 'content-type': 'application/json' } },
          ),
        );
      },
    }).factory;

  it('answers 503 with Retry-After, and the gate as configured', async () => {
    const closed = await startScorecardOn(
      await databases.init('SQLITE_3'),
      {},
      [],
      unavailableCatalog(),
    );
    const open = await startScorecardOn(
      await databases.init('SQLITE_3'),
      { gate: { onOutage: 'pass' } },
      [],
      unavailableCatalog(),
    );
    const entity = await request(closed)
      .get('/api/scorecard/entities/component/default/payments-api')
      .set('authorization', as(developer));
    expect([entity.status, entity.headers['retry-after']]).toEqual([503, '5']);
    expect(entity.body.error.message).toBe(
      'The scorecard cannot reach the catalog right now; try again in 5 seconds',
    );
    const gateOf = (app: typeof closed) =>
      request(app)
        .get('/api/scorecard/gate/component/default/payments-api')
        .set('authorization', mockCredentials.service.header());
    const undecided = await gateOf(closed);
    expect([undecided.status, undecided.headers['retry-after']]).toEqual([
      503,
      '5',
    ]);
    expect(undecided.body.error.message).toContain(
      'The deploy gate cannot decide on component:default/payments-api now',
    );
    const degraded = await gateOf(open);
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({
      result: 'pass',
      degraded: { reason: expect.any(String) },
    });
  });
});
