import { StoredEvent } from '../database/InsightsStore';
import {
  computeFigures,
  GithubFacts,
  percentile,
  ServiceFact,
} from './compute';
import { lastWeeks, weekOf } from './weeks';

// Thursday of ISO week 2026-W48 (Monday 2026-11-23).
const now = new Date('2026-11-26T15:00:00Z');

function event(
  name: string,
  service: string,
  team: string,
  occurredAt: string,
  more: Partial<StoredEvent> = {},
): StoredEvent {
  return {
    id: `${name}-${service}-${occurredAt}`,
    name,
    service,
    team,
    duration_ms: null,
    attributes: {},
    occurredAt,
    ...more,
  };
}

const payments = 'group:default/payments-team';
const risk = 'group:default/risk-team';

const events: StoredEvent[] = [
  event('scaffold.completed', 'alpha', payments, '2026-11-17T10:00:00Z', {
    duration_ms: 4000,
    attributes: { repoSlug: 'acme/alpha' },
  }),
  event('scaffold.completed', 'beta', payments, '2026-11-24T09:00:00Z', {
    duration_ms: 2000,
    attributes: { repoUrl: 'github.com?owner=acme&repo=beta' },
  }),
  event('scaffold.completed', 'gamma', risk, '2026-11-25T12:00:00Z', {
    duration_ms: 6000,
  }),
  event('infra.requested', 'alpha', payments, '2026-11-23T08:00:00Z', {
    attributes: { pullRequestUrl: 'https://github.com/acme/alpha/pull/7' },
  }),
  event('infra.merged', 'alpha', payments, '2026-11-24T08:00:00Z', {
    attributes: { pullRequestUrl: 'https://github.com/acme/alpha/pull/7' },
  }),
];

const services: ServiceFact[] = [
  {
    name: 'alpha',
    team: payments,
    viaPortal: true,
    level: 'gold',
    firstLevel: 'gold',
  },
  {
    name: 'beta',
    team: payments,
    viaPortal: true,
    level: 'silver',
    firstLevel: 'gold',
  },
  {
    name: 'gamma',
    team: risk,
    viaPortal: true,
    level: 'gold',
    firstLevel: 'silver',
  },
  { name: 'legacy', team: payments, viaPortal: false, level: 'bronze' },
];

const coverage = [
  { day: '2026-11-18', coverage: 0.5, entities: 3 },
  { day: '2026-11-20', coverage: 0.6, entities: 4 },
  { day: '2026-11-24', coverage: 0.8, entities: 5 },
];

const github: GithubFacts = {
  firstPullRequestAt: {
    'acme/alpha': '2026-11-17T16:00:00Z',
    'acme/beta': '2026-11-24T21:00:00Z',
  },
  mergedAt: {},
  merges: [
    {
      repo: 'acme/alpha',
      mergedAt: '2026-11-24T10:00:00Z',
      deployedAt: '2026-11-24T12:00:00Z',
    },
    {
      repo: 'acme/beta',
      mergedAt: '2026-11-25T10:00:00Z',
      deployedAt: '2026-11-25T16:00:00Z',
    },
    { repo: 'acme/beta', mergedAt: '2026-11-25T11:00:00Z' },
  ],
};

const input = {
  now,
  weeks: 2,
  events,
  services,
  compliantLevel: 'gold',
  coverage,
  github,
};

describe('weeks', () => {
  it('follows ISO 8601: Monday starts, week 1 holds the first Thursday', () => {
    expect(weekOf(now.getTime())).toMatchObject({
      id: '2026-W48',
      start: '2026-11-23',
    });
    expect(weekOf(Date.parse('2026-01-01T00:00:00Z')).id).toBe('2026-W01');
    expect(weekOf(Date.parse('2027-01-01T12:00:00Z')).id).toBe('2026-W53');
    expect(weekOf(Date.parse('2026-11-22T23:59:59Z')).id).toBe('2026-W47');
    expect(lastWeeks(now, 3).map(w => w.id)).toEqual([
      '2026-W46',
      '2026-W47',
      '2026-W48',
    ]);
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([2, 6], 50)).toBe(2);
    expect(percentile([2, 6], 95)).toBe(6);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
  });
});

describe('computeFigures, worked out by hand', () => {
  const [w47, w48] = computeFigures(input);

  it('counts scaffolds and their time per week, with the delta', () => {
    expect(w47.week).toBe('2026-W47');
    expect(w47.scaffolds).toEqual({
      value: 1,
      previous: 0,
      delta: 1,
      count: 1,
    });
    expect(w48.scaffolds).toEqual({
      value: 2,
      previous: 1,
      delta: 1,
      count: 2,
    });
    // 2 s and 6 s: nearest-rank median 2 s, p95 6 s
    expect(w48.scaffoldDurationP50).toEqual({
      value: 2,
      previous: 4,
      delta: -2,
      count: 2,
    });
    expect(w48.scaffoldDurationP95).toEqual({
      value: 6,
      previous: 4,
      delta: 2,
      count: 2,
    });
  });

  it('shares of services: created through the portal, born compliant, still on the road', () => {
    // end of W46: only legacy existed; W47: legacy and alpha; W48: all four
    expect(w47.createdThroughPortal).toEqual({
      value: 0.5,
      previous: 0,
      delta: 0.5,
      count: 2,
    });
    expect(w48.createdThroughPortal).toEqual({
      value: 0.75,
      previous: 0.5,
      delta: 0.25,
      count: 4,
    });
    // W48 scaffolds: beta was gold on day one, gamma silver
    expect(w48.bornCompliant).toEqual({
      value: 0.5,
      previous: 1,
      delta: -0.5,
      count: 2,
    });
    // portal services now: alpha gold, beta silver, gamma gold
    expect(w48.stillOnRoad.value).toBeCloseTo(2 / 3, 10);
    expect(w48.stillOnRoad.previous).toBe(1);
  });

  it('takes the coverage of the last day of each week', () => {
    // the last day with data counts, and the entities it covered
    expect(w47.guardrailCoverage).toMatchObject({ value: 0.6, count: 4 });
    expect(w48.guardrailCoverage.value).toBe(0.8);
    expect(w48.guardrailCoverage.delta).toBeCloseTo(0.2, 10);
  });

  it('measures infra waits, time to first PR and lead time in hours', () => {
    expect(w48.infraRequestWaitHours).toEqual({ value: 24, count: 1 });
    expect(w47.infraRequestWaitHours).toEqual({ count: 0 });
    expect(w47.timeToFirstPrHours).toMatchObject({ value: 6, count: 1 });
    // beta's first PR came 12 h after its scaffold; gamma has no repository
    expect(w48.timeToFirstPrHours).toEqual({
      value: 12,
      previous: 6,
      delta: 6,
      count: 1,
    });
    // merges with a deployment after them: 2 h and 6 h; the undeployed one is left out
    expect(w48.leadTimeHours).toEqual({ value: 2, count: 2 });
  });

  it('measures the infra wait of a local branch without GitHub (embedded defaults)', () => {
    const local =
      'http://localhost:3000/repositories/paved-road-demo/orders-api/compare/infra/db';
    const [, thisWeek] = computeFigures({
      ...input,
      github: undefined,
      events: [
        event(
          'infra.requested',
          'orders-api',
          payments,
          '2026-11-23T10:00:00Z',
          {
            attributes: { pullRequestUrl: local },
          },
        ),
      ],
      mergedAt: { [local]: '2026-11-24T16:00:00Z' },
    });
    expect(thisWeek.infraRequestWaitHours).toEqual({ value: 30, count: 1 });
  });

  it('filters by team', () => {
    const [, team48] = computeFigures({ ...input, team: payments });
    expect(team48.scaffolds.value).toBe(1);
    expect(team48.createdThroughPortal.value).toBeCloseTo(2 / 3, 10);
    expect(team48.stillOnRoad.value).toBe(0.5);
    expect(team48.leadTimeHours).toEqual({ value: 2, count: 2 });
    const [, risk48] = computeFigures({ ...input, team: risk });
    expect(risk48.scaffolds.value).toBe(1);
    expect(risk48.leadTimeHours).toEqual({ count: 0 });
  });

  it('says "no data" rather than zero when nothing was measured', () => {
    const [, empty] = computeFigures({
      ...input,
      events: [],
      services: [],
      coverage: [],
      github: undefined,
    });
    expect(empty.scaffolds).toEqual({
      value: 0,
      previous: 0,
      delta: 0,
      count: 0,
    });
    expect(empty.scaffoldDurationP50).toEqual({ count: 0 });
    expect(empty.createdThroughPortal).toEqual({ count: 0 });
    expect(empty.guardrailCoverage).toEqual({ count: 0 });
    expect(empty.timeToFirstPrHours).toEqual({ count: 0 });
  });
});
