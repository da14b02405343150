import {
  mockCredentials,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  EntityScorecardResponse,
  EntitySummary,
  ExemptionRecord,
  GateResponse,
  ScorecardOverview,
} from '@internal/plugin-scorecard-common';
import request from 'supertest';
import {
  as,
  AuditRecord,
  developer,
  platform,
  startScorecardOn,
} from './__testUtils__/scorecardBackend';

jest.setTimeout(60_000);

const NOW = new Date('2026-11-29T09:00:00.000Z');

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

async function startScorecard(
  databaseId: TestDatabaseId,
  config: object = {},
  audit: AuditRecord[] = [],
) {
  const knex = await databases.init(databaseId);
  const server = await startScorecardOn(knex, config, audit);
  return { server, knex };
}

describe.each(databases.eachSupportedId())('scorecard backend on %s', id => {
  it('runs on both databases here', () => {
    // PostgreSQL is on this machine and in CI: its absence must fail, not skip.
    expect(databases.eachSupportedId().map(([d]) => d)).toEqual(
      expect.arrayContaining(['POSTGRES_15', 'SQLITE_3']),
    );
  });

  describe('results and overview', () => {
    let server: Awaited<ReturnType<typeof startScorecard>>['server'];
    beforeAll(async () => {
      ({ server } = await startScorecard(id));
    });

    it('scores a fully compliant service gold, every rule passing', async () => {
      const res = await request(server)
        .get('/api/scorecard/entities/component/default/payments-api')
        .query({ history: 'true' })
        .set('authorization', as(developer));
      expect(res.status).toBe(200);
      const body: EntityScorecardResponse = res.body;
      expect(body.level).toBe('gold');
      expect(body.nextLevel).toBeUndefined();
      expect(body.results).toHaveLength(9);
      expect(body.results.every(r => r.outcome === 'pass')).toBe(true);
      expect(body.history).toEqual([
        expect.objectContaining({ level: 'gold', passed: 9, failed: 0 }),
      ]);
    });

    it('says what a non-compliant service misses and how to fix it', async () => {
      const res = await request(server)
        .get('/api/scorecard/entities/component/default/fraud-rules-engine')
        .set('authorization', as(developer));
      const body: EntityScorecardResponse = res.body;
      expect(body.history).toBeUndefined();
      expect(body.level).toBe('bronze');
      expect(body.nextLevel).toEqual({
        id: 'silver',
        missing: ['on-call', 'cost-center', 'runbook'],
      });
      const runbook = body.results.find(r => r.ruleId === 'runbook');
      expect(runbook).toMatchObject({
        title: 'Runbook',
        outcome: 'fail',
        message: expect.stringMatching(/^No link with type 'runbook'\./),
        howToFix: expect.stringContaining('docs/runbook.md'),
      });
    });

    it('answers 404 for an entity the catalog does not have, 401 without credentials', async () => {
      const missing = await request(server)
        .get('/api/scorecard/entities/component/default/no-such-service')
        .set('authorization', as(developer));
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toContain(
        "No entity 'component:default/no-such-service'",
      );
      for (const path of [
        '/entities/component/default/payments-api',
        '/overview',
        '/rules',
        '/gate/component/default/payments-api',
        '/exemptions',
      ]) {
        // Without this header the test backend would assume a signed-in user.
        const res = await request(server)
          .get(`/api/scorecard${path}`)
          .set('authorization', mockCredentials.none.header());
        expect([path, res.status]).toEqual([path, 401]);
      }
      const post = await request(server)
        .post('/api/scorecard/exemptions')
        .set('authorization', mockCredentials.none.header());
      expect(post.status).toBe(401);
    });

    it('describes its API at /openapi.json, the spec its requests are validated against', async () => {
      const res = await request(server)
        .get('/api/scorecard/openapi.json')
        .set('authorization', as(developer));
      expect(res.status).toBe(200);
      expect(res.body.info.title).toBe('scorecard');
      expect(
        res.body.paths['/api/scorecard/gate/{kind}/{namespace}/{name}'].get
          .operationId,
      ).toBe('CheckGate');
    });

    it('summarizes coverage per rule, owner and system, levels and the trend', async () => {
      const res = await request(server)
        .get('/api/scorecard/overview')
        .set('authorization', as(developer));
      const body: ScorecardOverview = res.body;
      expect(body.entities).toBe(7);
      expect(body.distribution).toEqual({
        levels: { bronze: 1, silver: 1, gold: 4 },
        unranked: 1,
      });
      expect(body.rules.find(r => r.ruleId === 'runbook')).toEqual({
        ruleId: 'runbook',
        title: 'Runbook',
        applicable: 7,
        passed: 5,
        exempt: 0,
        failed: 2,
        coverage: 5 / 7,
      });
      const payments = body.owners.find(
        o => o.ref === 'group:default/payments-team',
      );
      expect(payments).toMatchObject({ entities: 2, coverage: 1 });
      expect(body.systems.map(s => s.ref)).toContain('system:default/payments');
      expect(body.trend).toHaveLength(1);
      expect(body.trend[0]).toMatchObject({
        entities: 7,
        levels: { bronze: 1, silver: 1, gold: 4 },
        unranked: 1,
      });
      expect(body.trend[0].coverage).toBeCloseTo(body.coverage, 10);
      expect(body.evaluatedAt).toEqual(expect.any(String));
    });

    it("tells each entity's level now and on its first day, and the trend of one owner", async () => {
      const levels = await request(server)
        .get('/api/scorecard/levels')
        .set('authorization', as(developer));
      expect(levels.status).toBe(200);
      const payments = levels.body.items.find(
        (i: any) => i.entityRef === 'component:default/payments-api',
      );
      expect(payments).toEqual({
        entityRef: 'component:default/payments-api',
        owner: 'group:default/payments-team',
        level: 'gold',
        firstLevel: 'gold',
        firstDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(levels.body.items).toHaveLength(7);

      const trend = await request(server)
        .get('/api/scorecard/trend')
        .query({ owner: 'group:default/payments-team' })
        .set('authorization', as(developer));
      expect(trend.body.trend).toEqual([
        expect.objectContaining({
          entities: 2,
          coverage: 1,
          levels: { bronze: 0, silver: 0, gold: 2 },
        }),
      ]);
      const bad = await request(server)
        .get('/api/scorecard/trend')
        .query({ owner: 'payments-team' })
        .set('authorization', as(developer));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("Invalid owner 'payments-team'");
    });

    it("lists the owners' entities with their level and the one next thing to fix", async () => {
      const res = await request(server)
        .get('/api/scorecard/entities')
        .query(
          'owner=group:default/risk-team&owner=Group:default/Payments-Team',
        )
        .set('authorization', as(developer));
      expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
      const items: EntitySummary[] = res.body.items;
      expect(items.map(i => i.entityRef)).toEqual([
        'component:default/fraud-rules-engine',
        'component:default/ledger-worker',
        'component:default/payments-api',
        'component:default/risk-scoring',
      ]);
      expect(items[0]).toEqual({
        entityRef: 'component:default/fraud-rules-engine',
        owner: 'group:default/risk-team',
        level: 'bronze',
        nextLevel: 'silver',
        nextFix: {
          ruleId: 'on-call',
          title: expect.any(String),
          howToFix: expect.any(String),
        },
        passed: expect.any(Number),
        exempt: 0,
        failed: expect.any(Number),
        evaluatedAt: expect.any(String),
      });
      const gold = items[2];
      expect(gold).toMatchObject({ level: 'gold', failed: 0 });
      expect(gold.nextLevel).toBeUndefined();
      expect(gold.nextFix).toBeUndefined();

      const one = await request(server)
        .get('/api/scorecard/entities')
        .query({ owner: 'group:default/nobody' })
        .set('authorization', as(developer));
      expect(one.status).toBe(200);
      expect(one.body).toEqual({ items: [] });

      const bad = await request(server)
        .get('/api/scorecard/entities')
        .query({ owner: 'payments-team' })
        .set('authorization', as(developer));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("Invalid owner 'payments-team'");
      const none = await request(server)
        .get('/api/scorecard/entities')
        .set('authorization', as(developer));
      expect(none.status).toBe(400);
      expect(none.body.error.message).toContain('owner');
      const many = await request(server)
        .get('/api/scorecard/entities')
        .query(
          Array.from(
            { length: 21 },
            (_, i) => `owner=group:default/t${i}`,
          ).join('&'),
        )
        .set('authorization', as(developer));
      expect(many.status).toBe(400);
      expect(many.body.error.message).toContain('at most 20');
    });

    it('previews a proposed rule against the whole catalog without storing it', async () => {
      const rule = {
        id: 'dashboard',
        title: 'Dashboard',
        description: 'A Grafana dashboard is linked.',
        howToFix: 'Link the dashboard with type dashboard.',
        appliesTo: { kind: ['Component'] },
        kind: 'linkPresent',
        params: { type: 'dashboard' },
      };
      const res = await request(server)
        .post('/api/scorecard/preview')
        .set('authorization', as(developer))
        .send({ rule });
      expect(res.status).toBe(200);
      expect(res.body.applicable).toBe(7);
      expect(res.body.passing + res.body.failing.length).toBe(7);
      expect(res.body.failing.map((f: any) => f.entityRef)).toContain(
        'component:default/legacy-billing',
      );
      const rules = await request(server)
        .get('/api/scorecard/rules')
        .set('authorization', as(developer));
      expect(rules.body.rules.map((r: any) => r.id)).not.toContain('dashboard');

      const bad = await request(server)
        .post('/api/scorecard/preview')
        .set('authorization', as(developer))
        .send({
          rule: {
            ...rule,
            kind: 'annotationMatches',
            params: { annotation: 'a', pattern: '(' },
          },
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(
        "Invalid scorecard rule 'dashboard' field 'params.pattern'",
      );
    });
  });

  describe('preview limits', () => {
    let server: Awaited<ReturnType<typeof startScorecard>>['server'];
    beforeAll(async () => {
      ({ server } = await startScorecard(id, { preview: { perMinute: 3 } }));
    });
    const matching = (pattern: string) => ({
      rule: {
        id: 'slug',
        title: 'Slug',
        description: 'The GitHub slug is an org/repo pair.',
        howToFix: 'Set github.com/project-slug.',
        kind: 'annotationMatches',
        params: { annotation: 'github.com/project-slug', pattern },
      },
    });
    const preview = (user: string, body: object) =>
      request(server)
        .post('/api/scorecard/preview')
        .set('authorization', as(user))
        .send(body);

    it('runs a catastrophic pattern in linear time, refuses what RE2 cannot run, and limits each user', async () => {
      const evil = await preview(developer, matching('^(.*.*)*Z$'));
      expect(evil.status).toBe(200);
      expect(evil.body.applicable).toBeGreaterThan(0);

      const lookahead = await preview(developer, matching('^(?=a).*$'));
      expect(lookahead.status).toBe(400);
      expect(lookahead.body.error.message).toContain(
        "field 'params.pattern': is not a pattern RE2 accepts",
      );

      const third = await preview(developer, matching('^[a-z-]+/[a-z-]+$'));
      expect(third.status).toBe(200);
      const fourth = await preview(developer, matching('^[a-z-]+/[a-z-]+$'));
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      expect(fourth.body.error.message).toContain('at most 3 a minute');

      // The limit is per user: someone else is not held back.
      expect((await preview(platform, matching('^a'))).status).toBe(200);
    });

    it('refuses a request body larger than a rule needs', async () => {
      const res = await preview(platform, {
        rule: { ...matching('^a').rule, description: 'x'.repeat(20_000) },
      });
      expect(res.status).toBe(413);
    });
  });

  describe('deploy gate and exemptions', () => {
    let server: Awaited<ReturnType<typeof startScorecard>>['server'];
    const audit: AuditRecord[] = [];

    beforeAll(async () => {
      // Only the clock is faked; timers stay real for the database and HTTP.
      jest.useFakeTimers({
        now: NOW,
        doNotFake: [
          'nextTick',
          'setImmediate',
          'clearImmediate',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'queueMicrotask',
          'hrtime',
          'performance',
        ],
      });
      ({ server } = await startScorecard(id, {}, audit));
    });
    afterAll(() => {
      jest.useRealTimers();
    });

    const gate = async (name: string): Promise<GateResponse> => {
      const res = await request(server)
        .get(`/api/scorecard/gate/component/default/${name}`)
        .set('authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      return res.body;
    };

    const requestExemption = (body: object, user = developer) =>
      request(server)
        .post('/api/scorecard/exemptions')
        .set('authorization', as(user))
        .send(body);

    const decide = (exemptionId: string, action: string, user: string) =>
      request(server)
        .post(`/api/scorecard/exemptions/${exemptionId}/${action}`)
        .set('authorization', as(user))
        .send({ comment: 'Reviewed in the platform sync' });

    it('passes a gold service and fails one below the gate level, listing violations', async () => {
      expect(await gate('payments-api')).toMatchObject({
        entityRef: 'component:default/payments-api',
        result: 'pass',
        requiredLevel: 'gold',
        level: 'gold',
        violations: [],
      });
      const fraud = await gate('fraud-rules-engine');
      expect(fraud.result).toBe('fail');
      expect(fraud.violations.map(v => v.ruleId)).toEqual([
        'on-call',
        'cost-center',
        'runbook',
      ]);
      expect(fraud.violations[0].howToFix).toContain('pagerduty/service-id');
      const missing = await request(server)
        .get('/api/scorecard/gate/component/default/nope')
        .set('authorization', mockCredentials.service.header());
      expect(missing.status).toBe(404);
    });

    it('refuses bad requests naming the field, and stores nothing', async () => {
      const valid = {
        entityRef: 'component:default/fraud-rules-engine',
        ruleId: 'on-call',
        reason: 'On-call rotation starts with the new team in January',
        expiresAt: '2027-01-15',
        riskSignoff: 'Rita Risk, head of risk engineering',
      };
      const cases: Array<[object, number, string]> = [
        [{ ...valid, reason: undefined }, 400, "field 'reason'"],
        [{ ...valid, reason: 'short' }, 400, "field 'reason'"],
        [{ ...valid, riskSignoff: '  ' }, 400, "field 'riskSignoff'"],
        [{ ...valid, extra: 1 }, 400, "unknown field 'extra'"],
        [
          { ...valid, expiresAt: 'next week' },
          400,
          "Invalid expiresAt 'next week'",
        ],
        [{ ...valid, expiresAt: '2026-11-01' }, 400, 'must be in the future'],
        [{ ...valid, expiresAt: '2027-06-01' }, 400, 'at most 90 days'],
        [{ ...valid, ruleId: 'nope' }, 400, "Invalid ruleId 'nope'"],
        [
          { ...valid, entityRef: 'fraud-rules-engine' },
          400,
          'Invalid entityRef',
        ],
        [
          { ...valid, entityRef: 'component:default/nope' },
          404,
          "No entity 'component:default/nope'",
        ],
        [
          { ...valid, entityRef: 'group:default/payments-team' },
          400,
          'does not apply',
        ],
      ];
      for (const [body, status, message] of cases) {
        const res = await requestExemption(body);
        expect([res.status, res.body.error?.message]).toEqual([
          status,
          expect.stringContaining(message),
        ]);
      }
      const list = await request(server)
        .get('/api/scorecard/exemptions')
        .set('authorization', as(developer));
      expect(list.body.items).toEqual([]);
      const service = await request(server)
        .post('/api/scorecard/exemptions')
        .set('authorization', mockCredentials.service.header())
        .send(valid);
      expect(service.status).toBe(403);
    });

    it('needs the approve permission and a second person; exempts until the expiry, then the rule fails again', async () => {
      const ids: string[] = [];
      for (const ruleId of ['on-call', 'cost-center', 'runbook']) {
        const res = await requestExemption({
          entityRef: 'component:default/fraud-rules-engine',
          ruleId,
          reason: 'Being replaced by risk-scoring before the end of January',
          expiresAt: '2027-01-15T00:00:00Z',
          riskSignoff: 'Rita Risk, head of risk engineering',
        });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({
          status: 'requested',
          requestedBy: developer,
          expiresAt: '2027-01-15T00:00:00.000Z',
        });
        ids.push(res.body.id);
      }
      const again = await requestExemption({
        entityRef: 'component:default/fraud-rules-engine',
        ruleId: 'on-call',
        reason: 'Asking twice for the same exemption',
        expiresAt: '2027-01-01',
        riskSignoff: 'Rita Risk',
      });
      expect(again.status).toBe(409);

      // Requested is not approved: the gate still fails.
      expect((await gate('fraud-rules-engine')).result).toBe('fail');

      const denied = await decide(ids[0], 'approve', developer);
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain(
        'scorecard.exemption.approve',
      );
      const self = await requestExemption(
        {
          entityRef: 'component:default/notification-gateway',
          ruleId: 'slo',
          reason: 'SLOs are being written with the SRE team now',
          expiresAt: '2026-12-20',
          riskSignoff: 'Sam SRE',
        },
        platform,
      );
      expect((await decide(self.body.id, 'approve', platform)).status).toBe(
        403,
      );

      for (const exemptionId of ids) {
        const ok = await decide(exemptionId, 'approve', platform);
        expect(ok.status).toBe(200);
        expect(ok.body).toMatchObject({
          status: 'approved',
          approvedBy: platform,
          decidedBy: platform,
        });
      }
      expect((await decide(ids[0], 'approve', platform)).status).toBe(409);

      const open = await gate('fraud-rules-engine');
      expect(open.result).toBe('pass');
      expect(open.exempted.map(e => e.ruleId)).toEqual([
        'on-call',
        'cost-center',
        'runbook',
      ]);
      const card = await request(server)
        .get('/api/scorecard/entities/component/default/fraud-rules-engine')
        .set('authorization', as(developer));
      expect(card.body.level).toBe('gold');
      expect(
        card.body.results.find((r: any) => r.ruleId === 'runbook'),
      ).toMatchObject({
        outcome: 'exempt',
        exemption: { id: ids[2], expiresAt: '2027-01-15T00:00:00.000Z' },
      });
      const overview = await request(server)
        .get('/api/scorecard/overview')
        .set('authorization', as(developer));
      expect(overview.body.distribution.levels.gold).toBe(5);

      // Time moves past the expiry: nothing is changed, the exemptions stop applying.
      jest.setSystemTime(new Date('2027-01-15T00:00:01Z'));
      const expired = await gate('fraud-rules-engine');
      expect(expired.result).toBe('fail');
      expect(expired.exempted).toEqual([]);
      const after = await request(server)
        .get('/api/scorecard/entities/component/default/fraud-rules-engine')
        .set('authorization', as(developer));
      expect(after.body.level).toBe('bronze');
      expect(
        after.body.exemptions.map((e: ExemptionRecord) => e.status),
      ).toEqual(['expired', 'expired', 'expired']);
      const expiredList = await request(server)
        .get('/api/scorecard/exemptions?status=expired')
        .set('authorization', as(developer));
      expect(expiredList.body.items).toHaveLength(3);

      const events = audit.filter(a => a.eventId.startsWith('exemption'));
      expect(
        events.filter(
          e => e.eventId === 'exemption-request' && e.outcome === 'success',
        ),
      ).toHaveLength(4);
      expect(
        events.filter(
          e => e.eventId === 'exemption-decision' && e.outcome === 'success',
        ),
      ).toHaveLength(3);
      expect(
        events.filter(
          e => e.eventId === 'exemption-decision' && e.outcome === 'fail',
        ),
      ).toHaveLength(3);
      expect(audit.some(a => a.eventId === 'gate-check')).toBe(true);
    });
  });

  it('refuses to start on an invalid rule, naming the rule and the field', async () => {
    await expect(
      startScorecard(id, {
        rules: [
          {
            id: 'runbook',
            title: 'Runbook',
            description: 'A runbook.',
            howToFix: 'Add one.',
            kind: 'linkPresent',
            params: { url: 'x' },
          },
        ],
      }),
    ).rejects.toThrow("Invalid scorecard rule 'runbook' field 'params.url'");
  });
});
