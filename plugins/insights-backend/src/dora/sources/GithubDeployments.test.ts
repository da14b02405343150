import { Octokit } from '@octokit/rest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { GithubDeployments } from './GithubDeployments';
import { SourceRateLimited } from './SourceError';

// GitHub's REST API at the HTTP layer: deployments (newest first, 100 a page) and
// their statuses (newest first), the 403 rate-limit answer, a 404 repository.

const api = 'https://api.github.com';
const server = setupServer();
const since = new Date('2026-11-01T00:00:00Z');
const now = new Date('2026-11-26T12:00:00Z');

function deployment(id: number, sha: string, createdAt: string) {
  return {
    url: `${api}/repos/acme/alpha/deployments/${id}`,
    id,
    node_id: `DE_${id}`,
    sha,
    ref: 'main',
    task: 'deploy',
    payload: {},
    environment: 'production',
    description: null,
    creator: { login: 'github-actions[bot]', id: 41898282 },
    created_at: createdAt,
    updated_at: createdAt,
    statuses_url: `${api}/repos/acme/alpha/deployments/${id}/statuses`,
    repository_url: `${api}/repos/acme/alpha`,
  };
}

function status(id: number, state: string, createdAt: string) {
  return {
    id: id * 10 + state.length,
    state,
    description: '',
    environment: 'production',
    created_at: createdAt,
    updated_at: createdAt,
    deployment_url: `${api}/repos/acme/alpha/deployments/${id}`,
  };
}

// Page 1: 100 recent deployments (all successful); page 2: one more recent, one older.
const page1 = Array.from({ length: 100 }, (_, i) =>
  deployment(
    1000 - i,
    `sha${String(i).padStart(4, '0')}aaaaaaa`,
    '2026-11-20T10:00:00Z',
  ),
);
const page2 = [
  deployment(800, 'bbbbbbbbbbbb', '2026-11-10T09:00:00Z'),
  deployment(799, 'cccccccccccc', '2026-11-09T09:00:00Z'),
  deployment(700, 'dddddddddddd', '2026-10-20T09:00:00Z'),
];

const pages: string[] = [];
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  pages.length = 0;
  server.resetHandlers(
    http.get(`${api}/repos/acme/alpha/deployments`, ({ request }) => {
      const page = new URL(request.url).searchParams.get('page');
      pages.push(page ?? '');
      return HttpResponse.json(page === '2' ? page2 : page1);
    }),
    http.get(
      `${api}/repos/acme/alpha/deployments/:id/statuses`,
      ({ params }) => {
        const id = Number(params.id);
        if (id === 800) {
          return HttpResponse.json([
            status(id, 'failure', '2026-11-10T09:05:00Z'),
            status(id, 'in_progress', '2026-11-10T09:01:00Z'),
          ]);
        }
        if (id === 799) {
          // Still running: not a deployment yet.
          return HttpResponse.json([
            status(id, 'in_progress', '2026-11-09T09:01:00Z'),
          ]);
        }
        return HttpResponse.json([
          status(id, 'inactive', '2026-11-21T10:00:00Z'),
          status(id, 'success', '2026-11-20T10:03:00Z'),
        ]);
      },
    ),
    http.get(`${api}/repos/acme/gone/deployments`, () =>
      HttpResponse.json(
        {
          message: 'Not Found',
          documentation_url:
            'https://docs.github.com/rest/deployments/deployments#list-deployments',
          status: '404',
        },
        { status: 404 },
      ),
    ),
    http.get(`${api}/repos/acme/busy/deployments`, () =>
      HttpResponse.json(
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
            'x-ratelimit-reset': String(
              Math.floor(Date.parse('2026-11-26T13:00:00Z') / 1000),
            ),
            'x-ratelimit-resource': 'core',
          },
        },
      ),
    ),
  );
});

const reader = new GithubDeployments(
  new Octokit({ auth: 'ghp_insights', baseUrl: api }),
);

describe('GithubDeployments', () => {
  it('reads the pages back to the window, with the final status of each', async () => {
    const facts = await reader.read({
      slug: 'acme/alpha',
      service: 'alpha',
      since,
      now,
    });
    expect(pages).toEqual(['1', '2']);
    expect(facts).toHaveLength(101);
    expect(facts![0]).toEqual({
      source: 'github',
      service: 'alpha',
      commit: 'sha0000aaaaaaa',
      deployedAt: '2026-11-20T10:03:00Z',
      status: 'success',
    });
    expect(facts![100]).toEqual(
      expect.objectContaining({ commit: 'bbbbbbbbbbbb', status: 'failure' }),
    );
  });

  it('gives undefined for a repository GitHub does not know', async () => {
    await expect(
      reader.read({ slug: 'acme/gone', service: 'gone', since, now }),
    ).resolves.toBeUndefined();
  });

  it('stops at the rate limit, saying until when', async () => {
    const error = await reader
      .read({ slug: 'acme/busy', service: 'busy', since, now })
      .catch(e => e);
    expect(error).toBeInstanceOf(SourceRateLimited);
    expect(error.resetAt.toISOString()).toBe('2026-11-26T13:00:00.000Z');
  });
});
