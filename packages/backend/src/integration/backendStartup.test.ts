import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  eventually,
  freePort,
  RunningBackend,
  runBackendToExit,
  startBackend,
} from './__testUtils__/runBackend';
import {
  expectedSampleEntities,
  listEntityRefs,
  missingFrom,
} from './__testUtils__/sampleCatalog';
// the production variables, shared with the artifact tests (scripts/artifact, in no package)
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { PG, productionEnv } from '../../../../scripts/artifact/production';

// Boots the real backend as a child process, the way it runs on a laptop (SQLite, guest)
// and in production (PostgreSQL, static service token, Okta configured).

jest.setTimeout(180_000);

const EMBEDDED = ['../../app-config.yaml'];
const PRODUCTION = [
  '../../app-config.yaml',
  '../../app-config.production.yaml',
];

/** Waits until every sample entity is listed, and returns all listed refs. */
async function loadedSampleCatalog(
  backend: RunningBackend,
  token: string,
): Promise<Set<string>> {
  return eventually(
    async () => {
      const listed = await listEntityRefs(backend.baseUrl, token);
      return missingFrom(listed).length === 0 ? listed : undefined;
    },
    90_000,
    'the sample catalog to be loaded',
  ).catch(async error => {
    const listed = await listEntityRefs(backend.baseUrl, token).catch(
      () => new Set<string>(),
    );
    throw new Error(
      `${error.message}; still missing: ${missingFrom(listed).join(', ')}`,
    );
  });
}

function expectSampleEntities(refs: Set<string>) {
  expect(refs).toContain('component:payments-api');
  expect(refs).toContain('template:http-service');
  expect(refs).toContain('template:background-worker');
  expect(refs.size).toBeGreaterThanOrEqual(expectedSampleEntities().length);
}

describe('backend on the embedded defaults (SQLite, guest)', () => {
  let backend: RunningBackend | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-it-sqlite-'));
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    backend = await startBackend({
      port,
      configs: EMBEDDED,
      timeoutMs: 120_000,
      env: {
        NODE_ENV: 'development',
        PORTAL_DATA_DIR: dataDir,
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: baseUrl,
        APP_CONFIG_app_baseUrl: baseUrl,
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its SQLite files in the data directory', () => {
    const files = fs.readdirSync(path.join(dataDir, 'sqlite'));
    expect(files).toEqual(expect.arrayContaining(['catalog.sqlite']));
  });

  it('refuses the catalog without credentials', async () => {
    const res = await fetch(`${backend!.baseUrl}/api/catalog/entities`);
    expect(res.status).toBe(401);
  });

  it('lists the sample entities and templates to a signed-in guest', async () => {
    const refresh = await fetch(
      `${backend!.baseUrl}/api/auth/guest/refresh?env=development`,
    );
    expect(refresh.status).toBe(200);
    const session = (await refresh.json()) as {
      backstageIdentity: { token: string; identity: { userEntityRef: string } };
    };
    expect(session.backstageIdentity.identity.userEntityRef).toBe(
      'user:development/guest',
    );
    expectSampleEntities(
      await loadedSampleCatalog(backend!, session.backstageIdentity.token),
    );
  });
});

describe('backend on the production config (PostgreSQL, service token)', () => {
  let backend: RunningBackend | undefined;
  const database = `portal_it_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const ciToken = randomBytes(24).toString('base64url');
  const gateToken = randomBytes(24).toString('base64url');
  const metricsToken = randomBytes(24).toString('base64url');

  async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ ...PG, database: 'postgres' });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await admin(c => c.query(`CREATE DATABASE "${database}"`));
    const port = await freePort();
    backend = await startBackend({
      port,
      configs: PRODUCTION,
      timeoutMs: 120_000,
      env: productionEnv({ port, database, ciToken, gateToken, metricsToken }),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await admin(c =>
      c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    );
  });

  it('keeps each plugin in its own schema of the one database', async () => {
    const schemas = await admin(async () => {
      const client = new Client({ ...PG, database });
      await client.connect();
      try {
        const { rows } = await client.query(
          'SELECT schema_name FROM information_schema.schemata',
        );
        return rows.map(r => r.schema_name as string);
      } finally {
        await client.end();
      }
    });
    expect(schemas).toEqual(
      expect.arrayContaining(['catalog', 'scaffolder', 'auth']),
    );
  });

  it('lists the sample entities and templates with the CI service token', async () => {
    expectSampleEntities(await loadedSampleCatalog(backend!, ciToken));
  });

  it('limits the CI token to reading the catalog', async () => {
    const res = await fetch(`${backend!.baseUrl}/api/scaffolder/v2/tasks`, {
      headers: { authorization: `Bearer ${ciToken}` },
    });
    expect(res.status).toBe(403);
  });

  it('lets the deploy gate token ask the gate and nothing else', async () => {
    await loadedSampleCatalog(backend!, ciToken);
    const call = (route: string) =>
      fetch(`${backend!.baseUrl}/api/${route}`, {
        headers: { authorization: `Bearer ${gateToken}` },
      });
    const gate = await call('scorecard/gate/component/default/payments-api');
    expect(gate.status).toBe(200);
    expect(await gate.json()).toMatchObject({
      entityRef: 'component:default/payments-api',
      result: 'pass',
      level: 'gold',
    });
    const failing = await call(
      'scorecard/gate/component/default/fraud-rules-engine',
    );
    expect(await failing.json()).toMatchObject({ result: 'fail' });
    for (const route of [
      'scorecard/overview',
      'scorecard/entities/component/default/payments-api',
      'catalog/entities',
    ]) {
      const res = await call(route);
      expect([route, res.status]).toEqual([route, 403]);
    }
    const none = await fetch(
      `${backend!.baseUrl}/api/scorecard/gate/component/default/payments-api`,
    );
    expect(none.status).toBe(401);
  });

  it('lets Prometheus scrape the insights metrics with its token, and nothing else', async () => {
    const call = (route: string) =>
      fetch(`${backend!.baseUrl}/api/${route}`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
    const metrics = await call('insights/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain(
      'application/openmetrics-text',
    );
    expect(await metrics.text()).toMatch(/^# EOF$/m);
    expect((await call('catalog/entities/by-query')).status).toBe(403);
  });

  it('answers 401 to every plugin route called without credentials', async () => {
    for (const [method, route] of [
      ['GET', 'catalog/entities/by-query'],
      ['GET', 'scaffolder/v2/tasks'],
      ['GET', 'scaffolder/v2/actions'],
      ['POST', 'scaffolder/v2/tasks'],
      ['GET', 'scorecard/overview'],
      ['GET', 'scorecard/gate/component/default/payments-api'],
      ['POST', 'scorecard/exemptions'],
      ['GET', 'kubernetes/clusters'],
      ['POST', 'insights/events'],
      ['GET', 'insights/figures'],
      ['GET', 'insights/metrics'],
      ['POST', 'permission/authorize'],
    ]) {
      const res = await fetch(`${backend!.baseUrl}/api/${route}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'POST' && { body: '{}' }),
      });
      expect([method, route, res.status]).toEqual([method, route, 401]);
    }
  });

  it('offers no guest sign-in', async () => {
    const res = await fetch(`${backend!.baseUrl}/api/auth/guest/refresh`);
    expect(res.ok).toBe(false);
  });

  it('configures Okta sign-in', async () => {
    const res = await fetch(
      `${backend!.baseUrl}/api/auth/okta/start?env=production&scope=openid`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(
      /^https:\/\/portal-test\.okta\.example\.com\/oauth2\/v1\/authorize\?/,
    );
  });
});

describe('backend on the production config with variables missing', () => {
  it('refuses to start and names each missing variable, without a stack trace', async () => {
    const env = productionEnv({
      port: await freePort(),
      database: 'never_created',
      ciToken: 'unused',
    });
    delete (env as Record<string, string | undefined>).POSTGRES_HOST;
    env.OKTA_CLIENT_SECRET = '   ';

    const result = await runBackendToExit({
      configs: PRODUCTION,
      env,
      timeoutMs: 60_000,
    });

    expect(result.code).toBe(78);
    expect(result.stderr).toContain(
      'Cannot start: 2 required environment variables are not set',
    );
    expect(result.stderr).toMatch(
      /- POSTGRES_HOST \(used in .*app-config\.production\.yaml\)/,
    );
    expect(result.stderr).toMatch(/- OKTA_CLIENT_SECRET \(used in /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
