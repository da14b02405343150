import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { stringify } from 'yaml';
import {
  eventually,
  freePort,
  RunningBackend,
  startBackend,
} from './__testUtils__/runBackend';

// What the scaffolder answers a client that gets things wrong, on the production config
// (NODE_ENV=production, PostgreSQL): a 4xx that says what to fix, never a stack trace,
// never the request body read back.

jest.setTimeout(240_000);

const PG = {
  host: process.env.PORTAL_TEST_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.PORTAL_TEST_PG_PORT ?? 5432),
  user: process.env.PORTAL_TEST_PG_USER ?? 'postgres',
  password: process.env.PORTAL_TEST_PG_PASSWORD ?? 'postgres',
};

/** Something the request carries that no answer may repeat. */
const MARKER = `echo-${randomBytes(6).toString('hex')}`;

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...PG, database: 'postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('scaffolder errors on the production config', () => {
  const database = `portal_err_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const token = randomBytes(24).toString('base64url');
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-errors-'));
  let backend: RunningBackend | undefined;

  beforeAll(async () => {
    await admin(c => c.query(`CREATE DATABASE "${database}"`));
    // a machine client of the scaffolder, as a CI job that starts templates would be
    const extraConfig = path.join(configDir, 'app-config.test.yaml');
    fs.writeFileSync(
      extraConfig,
      stringify({
        backend: {
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token, subject: 'template-runner' },
              },
            ],
          },
        },
      }),
    );
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const secret = () => randomBytes(24).toString('base64url');
    backend = await startBackend({
      port,
      configs: [
        '../../app-config.yaml',
        '../../app-config.production.yaml',
        extraConfig,
      ],
      timeoutMs: 150_000,
      env: {
        NODE_ENV: 'production',
        PORTAL_BASE_URL: baseUrl,
        PORTAL_PORT: String(port),
        BACKEND_SECRET: secret(),
        CI_CATALOG_READ_TOKEN: secret(),
        DEPLOY_GATE_TOKEN: secret(),
        INSIGHTS_METRICS_TOKEN: secret(),
        POSTGRES_HOST: PG.host,
        POSTGRES_PORT: String(PG.port),
        POSTGRES_USER: PG.user,
        POSTGRES_PASSWORD: PG.password,
        POSTGRES_DB: database,
        OKTA_CLIENT_ID: '0oa-portal-test',
        OKTA_CLIENT_SECRET: secret(),
        OKTA_AUDIENCE: 'https://portal-test.okta.example.com',
        OKTA_ALLOWED_EMAIL_DOMAINS: 'example.com',
        AUTH_GITHUB_CLIENT_ID: 'Iv1.portaltest',
        AUTH_GITHUB_CLIENT_SECRET: secret(),
      },
    });
    await eventually(
      async () => {
        const res = await call(
          'GET',
          'catalog/entities/by-query?filter=kind=template,metadata.name=http-service',
        );
        const body = JSON.parse(res.text) as { items?: unknown[] };
        return body.items?.length === 1 ? true : undefined;
      },
      90_000,
      'the golden path in the catalog',
    );
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(configDir, { recursive: true, force: true });
    await admin(c =>
      c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    );
  });

  async function call(method: string, route: string, body?: string) {
    const res = await fetch(`${backend!.baseUrl}/api/${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  const values = {
    name: 'orders-errors',
    description: `Takes orders ${MARKER}`,
    language: 'node',
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    costCenter: 'CC-1001',
    onCall: 'PABC123',
    lifecycle: 'experimental',
    repoUrl: 'github.com?owner=paved-road-demo&repo=orders-errors',
  };

  /** A 4xx with Backstage's error body, no stack in it, nothing of the request in it. */
  function expectClean(res: { status: number; text: string }, status: number) {
    expect(res.status).toBe(status);
    const body = JSON.parse(res.text);
    expect(body.error.name).toEqual(expect.any(String));
    expect(res.text).not.toContain('"stack"');
    expect(res.text).not.toMatch(/\\n\s+at /);
    expect(res.text).not.toContain(MARKER);
    return body.error.message as string;
  }

  it('answers a body that is not JSON with 400', async () => {
    const res = await call(
      'POST',
      'scaffolder/v2/tasks',
      `{"templateRef": "template:default/http-service", "values": {"description": "${MARKER}"`,
    );
    expect(expectClean(res, 400)).toBe(
      'Malformed request body: it is not valid JSON',
    );
  });

  it("answers values the template refuses with 400 and the template's message", async () => {
    const res = await call(
      'POST',
      'scaffolder/v2/tasks',
      JSON.stringify({
        templateRef: 'template:default/http-service',
        values: { ...values, costCenter: `${MARKER}` },
      }),
    );
    expect(expectClean(res, 400)).toBe(
      "Invalid values: field 'costCenter': A cost center looks like CC-1001.",
    );
  });

  it('answers a name the catalog has with 409', async () => {
    const res = await call(
      'POST',
      'scaffolder/v2/tasks',
      JSON.stringify({
        templateRef: 'template:default/http-service',
        values: { ...values, name: 'payments-api' },
      }),
    );
    expect(expectClean(res, 409)).toContain(
      "field 'name': component:default/payments-api already exists",
    );
  });

  it('answers a malformed dry run with 400', async () => {
    const res = await call(
      'POST',
      'scaffolder/v2/dry-run',
      JSON.stringify({
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: MARKER },
          spec: { type: 'service' },
        },
        values,
        directoryContents: [],
      }),
    );
    expect(expectClean(res, 400)).toContain(
      "Invalid request: field 'template': not a valid Template",
    );
  });

  it('answers a task it does not know with 404', async () => {
    // the scaffolder's store would fail on an id that is no UUID (PostgreSQL: 500)
    for (const id of [
      'not-a-task-id',
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await call('GET', `scaffolder/v2/tasks/${id}`);
      expect(expectClean(res, 404)).toEqual(expect.any(String));
    }
  });
});
