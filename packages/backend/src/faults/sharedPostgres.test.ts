import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  eventually,
  freePort,
  RunningBackend,
} from '../integration/__testUtils__/runBackend';
import {
  Answer,
  call,
  embeddedEnv,
  entityListed,
  guestToken,
  pollEvery,
  readiness,
  report,
  Sample,
  startEmbedded,
} from './__testUtils__/portal';
import {
  onPostgres,
  PrivatePostgres,
  startPrivatePostgres,
} from './__testUtils__/privatePostgres';

// Two real backends on one PostgreSQL server of the suite's own, as two replicas share a
// database: 20 exemption requests at once, 10 to each, leave exactly one open; then the
// server is stopped for 10 s while both are polled, and started again.

jest.setTimeout(600_000);

const DATABASE = 'portal';
const ENTITY = 'component:default/fraud-rules-engine';
const OUTAGE_MS = 10_000;

/**
 * Our routes that need the database, as they are called: by a person (the guest), and
 * by a deploy pipeline with its static token (only the gate).
 */
const ROUTES: Record<string, { path: string; caller: 'person' | 'pipeline' }> =
  {
    'scorecard entity view': {
      path: 'scorecard/entities/component/default/payments-api',
      caller: 'person',
    },
    // scorecard.gate.onOutage is left at its default, fail
    'deploy gate': {
      path: 'scorecard/gate/component/default/payments-api',
      caller: 'pipeline',
    },
    'insights figures': { path: 'insights/figures?weeks=1', caller: 'person' },
  };

/** What a deploy pipeline holds: a static token allowed the gate and nothing else. */
const GATE_TOKEN = randomBytes(24).toString('base64url');
const GATE_ACCESS = JSON.stringify([
  {
    type: 'static',
    options: { token: GATE_TOKEN, subject: 'deploy-gate' },
    accessRestrictions: [
      { plugin: 'scorecard', permission: 'scorecard.gate.check' },
    ],
  },
]);

type Replica = { name: string; backend: RunningBackend; token: string };

describe('two backends sharing PostgreSQL', () => {
  const dirs: string[] = [];
  let postgres: PrivatePostgres | undefined;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    await postgres.query('postgres', `CREATE DATABASE ${DATABASE}`);
    const started = await Promise.all(
      ['a', 'b'].map(async name => {
        const dataDir = fs.mkdtempSync(
          path.join(os.tmpdir(), `portal-faults-pg-${name}-`),
        );
        dirs.push(dataDir);
        const port = await freePort();
        const backend = await startEmbedded(
          port,
          embeddedEnv(port, dataDir, {
            ...onPostgres(postgres!, DATABASE),
            APP_CONFIG_backend_auth_externalAccess: GATE_ACCESS,
          }),
        );
        return { name, backend, token: await guestToken(backend.baseUrl) };
      }),
    );
    replicas.push(...started);
    for (const { backend, token } of replicas) {
      await entityListed(backend.baseUrl, token, 'component', 'payments-api');
      await entityListed(
        backend.baseUrl,
        token,
        'component',
        'fraud-rules-engine',
      );
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.backend.stop()));
    await postgres?.destroy();
    for (const dir of dirs) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves exactly one of 20 concurrent exemption requests, 10 to each backend, open', async () => {
    const body = {
      entityRef: ENTITY,
      ruleId: 'on-call',
      reason: 'On-call rotation starts with the new team in January',
      expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      riskSignoff: 'Rita Risk, head of risk engineering',
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const { backend, token } = replicas[i % 2];
        return call<{ id?: string; error?: { message: string } }>(
          backend.baseUrl,
          token,
          'scorecard/exemptions',
          { method: 'POST', body },
        );
      }),
    );
    const created = answers.filter(a => a.status === 201);
    const refused = answers.filter(a => a.status === 409);
    report('20 concurrent exemption requests on two backends', {
      created: created.length,
      refused: refused.length,
      other:
        answers
          .filter(a => a.status !== 201 && a.status !== 409)
          .map(a => a.status)
          .join(',') || 'none',
      slowestMs: Math.round(Math.max(...answers.map(a => a.ms))),
    });
    expect(answers.map(a => a.status).sort()).toEqual([
      201,
      ...Array(19).fill(409),
    ]);
    const openId = created[0].body.id;
    for (const answer of refused) {
      expect(answer.body.error?.message).toContain(
        `is already requested (id ${openId},`,
      );
    }
    const rows = await postgres!.query<{ id: string; status: string }>(
      DATABASE,
      'SELECT id, status FROM scorecard.scorecard_exemptions WHERE entity_ref = $1 AND rule_id = $2',
      [ENTITY, 'on-call'],
    );
    expect(rows).toEqual([{ id: openId, status: 'requested' }]);
    for (const { backend, token } of replicas) {
      const listed = await call<{ items: Array<{ id: string }> }>(
        backend.baseUrl,
        token,
        `scorecard/exemptions?entityRef=${encodeURIComponent(
          ENTITY,
        )}&status=requested`,
      );
      expect([listed.status, listed.body]).toEqual([
        200,
        { items: [expect.objectContaining({ id: openId })] },
      ]);
    }
  });

  it('answers 503 with Retry-After on our routes while PostgreSQL is stopped for 10 s, and recovers without a restart', async () => {
    const pids = replicas.map(r => r.backend.pid);
    // every route answers before the outage
    const as = (token: string, caller: 'person' | 'pipeline') =>
      caller === 'pipeline' ? GATE_TOKEN : token;
    for (const { backend, token } of replicas) {
      for (const { path: route, caller } of Object.values(ROUTES)) {
        await eventually(
          async () =>
            (await call(backend.baseUrl, as(token, caller), route)).status ===
            200
              ? true
              : undefined,
          60_000,
          `${route} on ${backend.baseUrl} to answer 200`,
        );
      }
    }

    type Probe = { replica: string; route: string; answer: Answer<unknown> };
    const pollers = replicas.flatMap(({ name, backend, token }) =>
      Object.entries(ROUTES).map(([route, { path: routePath, caller }]) =>
        pollEvery(
          250,
          async (): Promise<Probe> => ({
            replica: name,
            route,
            answer: await call(backend.baseUrl, as(token, caller), routePath, {
              timeoutMs: 10_000,
            }),
          }),
        ),
      ),
    );
    const pollingFrom = Date.now();
    await new Promise(resolve => setTimeout(resolve, 2_000));
    await postgres!.stop();
    const stoppedAt = Date.now();
    await new Promise(resolve => setTimeout(resolve, OUTAGE_MS));
    const restartingAt = Date.now();
    await postgres!.start();
    const startedAt = Date.now();

    // polled on until every route on both backends has answered 200 three times in a row
    const recovered = (samples: Sample<Probe>[]) => {
      const last = samples.filter(s => s.at > startedAt).slice(-3);
      return (
        last.length === 3 && last.every(s => s.value?.answer.status === 200)
      );
    };
    await eventually(
      async () => (pollers.every(p => recovered(p.samples)) ? true : undefined),
      90_000,
      'every route on both backends to answer 200 again',
    );
    const samples = (await Promise.all(pollers.map(p => p.stop()))).flat();

    // what each answered while the server was away (from its stop to its restart)
    const during = samples.filter(
      s => s.at >= stoppedAt && s.at + s.ms <= restartingAt,
    );
    const unexpected = samples.filter(
      s => ![200, 503].includes(s.value?.answer.status ?? 0),
    );
    const recovery = replicas.flatMap(({ name }) =>
      Object.keys(ROUTES).map(route => {
        const first = samples.find(
          s =>
            s.at >= startedAt &&
            s.value?.replica === name &&
            s.value.route === route &&
            s.value.answer.status === 200,
        );
        return `${name}/${route}:${
          first ? ((first.at - startedAt) / 1000).toFixed(1) : '?'
        }s`;
      }),
    );
    report('PostgreSQL stopped for 10 s under polling', {
      polls: samples.length,
      duringOutage: during.length,
      status503: during.filter(s => s.value?.answer.status === 503).length,
      withRetryAfter: during.filter(s => s.value?.answer.retryAfter).length,
      worstMsDuringOutage: Math.round(Math.max(...during.map(s => s.ms))),
      stopSeconds: ((stoppedAt - pollingFrom - 2_000) / 1000).toFixed(1),
      startSeconds: ((startedAt - restartingAt) / 1000).toFixed(1),
      recoveryAfterStart: recovery.join(' '),
      unexpected:
        unexpected
          .slice(0, 5)
          .map(s =>
            s.error
              ? s.error
              : `${s.value!.replica}/${s.value!.route}:${
                  s.value!.answer.status
                } ${JSON.stringify(s.value!.answer.body).slice(0, 200)}`,
          )
          .join(' | ') || 'none',
    });

    expect(unexpected.map(s => s.error ?? s.value?.answer.status)).toEqual([]);
    // every route of both backends was polled during the outage, and each answer was a
    // 503 that says when to try again
    expect(
      new Set(during.map(s => `${s.value?.replica} ${s.value?.route}`)).size,
    ).toBe(replicas.length * Object.keys(ROUTES).length);
    expect(
      during
        .filter(
          s =>
            s.value?.answer.status !== 503 ||
            !/^\d+$/.test(s.value.answer.retryAfter ?? ''),
        )
        .map(
          s =>
            `${s.value?.replica}/${s.value?.route} ${
              s.at - stoppedAt
            } ms into the outage: ${s.value?.answer.status ?? s.error}`,
        ),
    ).toEqual([]);
    // the gate, asked by a pipeline, says it cannot decide (scorecard.gate.onOutage: fail)
    const gateMessages = during
      .filter(s => s.value?.route === 'deploy gate')
      .map(
        s =>
          (s.value!.answer.body as { error?: { message?: string } }).error
            ?.message,
      );
    expect(
      gateMessages.filter(
        message =>
          !message?.startsWith(
            'The deploy gate cannot decide on component:default/payments-api now',
          ),
      ),
    ).toEqual([]);
    // the processes that answered before the outage answer after it: none restarted
    for (const pid of pids) {
      expect(() => process.kill(pid, 0)).not.toThrow();
    }
    for (const { backend } of replicas) {
      expect(await readiness(backend.baseUrl)).toBe(200);
    }
  });
});
