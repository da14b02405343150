import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { InsightsStore } from '../database/InsightsStore';
import { GithubReader } from './GithubReader';

// GitHub's REST API at the HTTP layer: paged lists (100 per page, as asked), deployment
// statuses, and the rate-limit answer GitHub really gives (403, remaining 0, reset).

const api = 'https://api.github.com';
const server = setupServer();
const requests: string[] = [];

const since = new Date('2026-11-01T00:00:00Z');
const now = new Date('2026-11-26T12:00:00Z');
const resetEpoch = Math.floor(Date.parse('2026-11-26T13:00:00Z') / 1000);

function pr(n: number, createdAt: string, mergedAt: string | null = null) {
  return {
    number: n,
    html_url: `https://github.com/acme/alpha/pull/${n}`,
    created_at: createdAt,
    merged_at: mergedAt,
    state: mergedAt ? 'closed' : 'open',
  };
}

// 100 old pull requests on page 1, then the recent ones on page 2.
const page1 = Array.from({ length: 100 }, (_, i) =>
  pr(i + 1, `2026-06-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`),
);
page1[0] = pr(1, '2026-06-01T08:00:00Z');
const page2 = [
  pr(101, '2026-11-20T09:00:00Z', '2026-11-20T15:00:00Z'),
  pr(102, '2026-11-24T09:00:00Z', '2026-11-24T10:00:00Z'),
];

function rateLimited() {
  return HttpResponse.json(
    {
      message: 'API rate limit exceeded for installation ID 4242.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
    },
    {
      status: 403,
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(resetEpoch),
        'x-ratelimit-resource': 'core',
      },
    },
  );
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  requests.length = 0;
  server.resetHandlers(
    http.get(`${api}/repos/acme/alpha/pulls`, ({ request }) => {
      requests.push(
        new URL(request.url).pathname + new URL(request.url).search,
      );
      const url = new URL(request.url);
      // GitHub would refuse an unauthenticated or oversized page request
      if (request.headers.get('authorization') !== 'token ghp_insights') {
        return HttpResponse.json(
          { message: 'Bad credentials' },
          { status: 401 },
        );
      }
      if (url.searchParams.get('per_page') !== '100') {
        return HttpResponse.json(
          { message: 'unexpected per_page' },
          { status: 422 },
        );
      }
      return HttpResponse.json(
        url.searchParams.get('page') === '2' ? page2 : page1,
      );
    }),
    http.get(`${api}/repos/acme/alpha/deployments`, ({ request }) => {
      requests.push(new URL(request.url).pathname);
      return HttpResponse.json([
        {
          id: 12,
          created_at: '2026-11-24T11:00:00Z',
          environment: 'production',
        },
        {
          id: 11,
          created_at: '2026-11-20T16:00:00Z',
          environment: 'production',
        },
        {
          id: 3,
          created_at: '2026-10-01T16:00:00Z',
          environment: 'production',
        },
      ]);
    }),
    http.get(
      `${api}/repos/acme/alpha/deployments/:id/statuses`,
      ({ params, request }) => {
        requests.push(new URL(request.url).pathname);
        const success = {
          12: '2026-11-24T12:30:00Z',
          11: '2026-11-20T17:00:00Z',
        }[String(params.id)];
        return HttpResponse.json([
          { state: 'in_progress', created_at: '2026-11-20T16:01:00Z' },
          ...(success ? [{ state: 'success', created_at: success }] : []),
        ]);
      },
    ),
    http.get(`${api}/repos/acme/beta/pulls`, ({ request }) => {
      requests.push(new URL(request.url).pathname);
      return rateLimited();
    }),
    http.get(`${api}/repos/acme/alpha/pulls/7`, ({ request }) => {
      requests.push(new URL(request.url).pathname);
      return HttpResponse.json(
        pr(7, '2026-11-23T08:00:00Z', '2026-11-24T08:00:00Z'),
      );
    }),
  );
});

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function reader(
  config: object = {
    integrations: { github: [{ host: 'github.com', token: 'ghp_insights' }] },
  },
) {
  const knex = await databases.init('SQLITE_3');
  const store = await InsightsStore.create({
    database: { getClient: async () => knex },
  });
  return GithubReader.fromConfig(new ConfigReader(config), {
    store,
    logger: mockServices.logger.mock(),
  });
}

describe('GithubReader', () => {
  it('pages through pull requests and pairs merges with the next successful deployment', async () => {
    const github = await reader();
    const result = await github.read({
      repos: ['acme/alpha'],
      pullRequestUrls: ['https://github.com/acme/alpha/pull/7'],
      since,
      now,
    });
    expect(result.complete).toBe(true);
    expect(result.facts.firstPullRequestAt).toEqual({
      'acme/alpha': '2026-06-01T08:00:00Z',
    });
    expect(result.facts.merges).toEqual([
      {
        repo: 'acme/alpha',
        mergedAt: '2026-11-20T15:00:00Z',
        deployedAt: '2026-11-20T17:00:00Z',
      },
      {
        repo: 'acme/alpha',
        mergedAt: '2026-11-24T10:00:00Z',
        deployedAt: '2026-11-24T12:30:00Z',
      },
    ]);
    expect(result.facts.mergedAt).toEqual({
      'https://github.com/acme/alpha/pull/7': '2026-11-24T08:00:00Z',
    });
    expect(requests.filter(r => r.includes('/pulls?'))).toHaveLength(2);
    // the deployment before the window is not looked into
    expect(requests).not.toContain('/repos/acme/alpha/deployments/3/statuses');

    // a second read within the cache period asks GitHub nothing
    requests.length = 0;
    await github.read({
      repos: ['acme/alpha'],
      pullRequestUrls: [],
      since,
      now,
    });
    expect(requests).toEqual([]);
  });

  it('stops at the rate limit, keeps what it read and says until when', async () => {
    const github = await reader();
    const result = await github.read({
      repos: ['acme/alpha', 'acme/beta'],
      pullRequestUrls: [],
      since,
      now,
    });
    expect(result.complete).toBe(false);
    expect(result.problem).toBe(
      "GitHub's rate limit is reached until 2026-11-26T13:00:00.000Z",
    );
    expect(result.facts.firstPullRequestAt['acme/alpha']).toBe(
      '2026-06-01T08:00:00Z',
    );

    // until the reset, no further request goes out
    requests.length = 0;
    const again = await github.read({
      repos: ['acme/beta'],
      pullRequestUrls: [],
      since,
      now,
    });
    expect(again.complete).toBe(false);
    expect(requests).toEqual([]);
  });

  it('says so when GitHub is not configured', async () => {
    const github = await reader({});
    expect(github.configured()).toBe(false);
    const result = await github.read({
      repos: ['acme/alpha'],
      pullRequestUrls: [],
      since,
      now,
    });
    expect(result).toMatchObject({
      complete: false,
      problem: 'GitHub is not configured',
    });
    expect(requests).toEqual([]);
  });
});
