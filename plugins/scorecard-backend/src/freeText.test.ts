import { TestDatabases } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import request from 'supertest';
import {
  as,
  developer,
  platform,
  startScorecardOn,
} from './__testUtils__/scorecardBackend';

jest.setTimeout(180_000);

// Free text reaches the database as typed: what one database stores the other must store
// too, and what neither can store is refused up front, naming the field (never a 500).

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const NOW = new Date('2026-11-29T09:00:00.000Z');
const ENTITY = 'component:default/fraud-rules-engine';

// Mostly what people type, with what made PostgreSQL answer 500: NUL and the other C0
// controls, DEL, line breaks and tabs, astral characters and lone surrogate halves.
const character = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0, max: 0x1f })
      .map(code => String.fromCharCode(code)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(' ', '\n', '\t', '\r', '\u007f', '\uD800', '💸'),
  },
);
const freeText = (maxLength: number) =>
  fc.string({ unit: character, maxLength });

// Whatever the order, both databases see the same inputs and must answer alike.
const SEED = 20261207;
const RUNS = 60;

type Answer = { field: string; status: number };
const answers = new Map<string, Answer[]>();

// Control characters other than tab and line breaks (which multiline text may hold), in
// text as stored: trimmed, so a trailing tab or line break goes.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN_ONE_LINE = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

describe.each(databases.eachSupportedId())('free text on %s', id => {
  let server: Awaited<ReturnType<typeof startScorecardOn>>;
  const seen: Answer[] = [];

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
    server = await startScorecardOn(await databases.init(id));
    answers.set(id, seen);
  });
  afterAll(() => {
    jest.useRealTimers();
  });

  const post = (path: string, body: object, user = developer) =>
    request(server)
      .post(`/api/scorecard${path}`)
      .set('authorization', as(user))
      .send(body);

  it('stores a reason, a sign-off and a comment exactly as given (trimmed), or refuses them naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          freeText(40),
          freeText(30).map(t => `Because ${t}`),
        ),
        freeText(30),
        freeText(30),
        async (reason, riskSignoff, comment) => {
          const res = await post('/exemptions', {
            entityRef: ENTITY,
            ruleId: 'on-call',
            reason,
            riskSignoff,
            expiresAt: '2026-12-20',
          });
          seen.push({ field: 'request', status: res.status });
          expect([201, 400]).toContain(res.status);
          // Refused naming the field at fault, every field holding what cannot be stored.
          const message: string = res.body.error?.message ?? '';
          const named = ['reason', 'riskSignoff'].filter(field =>
            message.includes(`field '${field}'`),
          );
          const unstorable = [
            ...(FORBIDDEN_MULTILINE.test(reason.trim()) ? ['reason'] : []),
            ...(FORBIDDEN_ONE_LINE.test(riskSignoff.trim())
              ? ['riskSignoff']
              : []),
          ];
          expect(unstorable.filter(field => !named.includes(field))).toEqual(
            [],
          );
          expect(res.status === 400 && named.length === 0).toBe(false);
          if (res.status !== 201) {
            return;
          }

          const stored = await request(server)
            .get(`/api/scorecard/exemptions/${res.body.id}`)
            .set('authorization', as(developer));
          expect(stored.body).toMatchObject({
            reason: reason.trim(),
            riskSignoff: riskSignoff.trim(),
          });

          const rejected = await post(
            `/exemptions/${res.body.id}/reject`,
            { comment },
            platform,
          );
          seen.push({ field: 'comment', status: rejected.status });
          const trimmed = comment.trim();
          const refused =
            trimmed === '' ||
            FORBIDDEN_MULTILINE.test(trimmed) ||
            LONE_SURROGATE.test(trimmed);
          expect({
            status: rejected.status,
            decisionComment: rejected.body.decisionComment,
            named: Boolean(
              rejected.body.error?.message?.includes("field 'comment'"),
            ),
          }).toEqual(
            refused
              ? { status: 400, decisionComment: undefined, named: true }
              : { status: 200, decisionComment: trimmed, named: false },
          );
          // Rejecting frees the rule for the next request.
          const freed = refused
            ? await post(`/exemptions/${res.body.id}/reject`, {}, platform)
            : rejected;
          expect(freed.status).toBe(200);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('refuses control characters in references and ids with 400, before any query', async () => {
    const get = (path: string) =>
      request(server)
        .get(`/api/scorecard${path}`)
        .set('authorization', as(developer));
    for (const path of [
      '/entities/component/default/fraud%00rules',
      '/gate/component/default/fraud%00rules',
      '/exemptions?entityRef=component%3Adefault%2Ffraud%00rules',
      '/trend?owner=group%3Adefault%2Fpay%07ments',
      '/exemptions/abc%00def',
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.error.message).toMatch(/control characters|pattern/);
    }
    const entityRef = await post('/exemptions', {
      entityRef: 'component:default/fraud\u0000rules',
      ruleId: 'on-call',
      reason: 'A reason long enough',
      riskSignoff: 'Rita Risk',
      expiresAt: '2026-12-20',
    });
    expect(entityRef.status).toBe(400);
    expect(entityRef.body.error.message).toContain("field 'entityRef'");
  });

  it('stores expiresAt as UTC with milliseconds, whatever its offset and precision', async () => {
    const body = {
      entityRef: ENTITY,
      ruleId: 'runbook',
      reason: 'The runbook moves to the new wiki this month',
      riskSignoff: 'Rita Risk',
    };
    for (const expiresAt of [
      '2027-01-15T00:00:00',
      '2027-02-30',
      'January 15, 2027',
    ]) {
      const res = await post('/exemptions', { ...body, expiresAt });
      expect([expiresAt, res.status]).toEqual([expiresAt, 400]);
      expect(res.body.error.message).toContain(
        `Invalid expiresAt '${expiresAt}'`,
      );
    }
    const res = await post('/exemptions', {
      ...body,
      expiresAt: '2026-12-07T21:00:00.123456789+05:30',
    });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBe('2026-12-07T15:30:00.123Z');
    const listed = await request(server)
      .get('/api/scorecard/exemptions')
      .query({ entityRef: ENTITY, status: 'requested' })
      .set('authorization', as(developer));
    expect(listed.body.items).toEqual([
      expect.objectContaining({ expiresAt: '2026-12-07T15:30:00.123Z' }),
    ]);
  });
});

describe('both databases', () => {
  it('accepted and refused the same free text', () => {
    const [first, second] = [...answers.values()];
    expect(answers.size).toBe(2);
    expect(first.length).toBeGreaterThanOrEqual(RUNS);
    expect(second).toEqual(first);
    // the runs covered both answers
    const statuses = new Set(first.map(a => `${a.field} ${a.status}`));
    expect([...statuses].sort()).toEqual([
      'comment 200',
      'comment 400',
      'request 201',
      'request 400',
    ]);
  });
});
