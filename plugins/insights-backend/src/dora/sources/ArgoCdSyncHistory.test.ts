import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgoCdSyncHistory } from './ArgoCdSyncHistory';

// Argo CD's API at the HTTP layer: GET /api/v1/applications/{name} with a bearer
// token; 401 as Argo CD gives it; an application that never synced has no history.

const argo = 'https://argocd.example.com';
const server = setupServer();
const since = new Date('2026-11-01T00:00:00Z');

const application = (status: object) => ({
  metadata: { name: 'payments-api', namespace: 'argocd' },
  spec: {
    project: 'default',
    source: { repoURL: 'https://github.com/acme/payments-api', path: 'deploy' },
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'payments',
    },
  },
  status,
});

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() =>
  server.resetHandlers(
    http.get(`${argo}/api/v1/applications/:name`, ({ request, params }) => {
      if (request.headers.get('authorization') !== 'Bearer argo_token') {
        return HttpResponse.json(
          {
            error: 'invalid session: token is expired',
            code: 16,
            message: 'invalid session: token is expired',
          },
          { status: 401 },
        );
      }
      if (params.name === 'new-service') {
        return HttpResponse.json(
          application({
            sync: { status: 'OutOfSync' },
            health: { status: 'Missing' },
          }),
        );
      }
      return HttpResponse.json(
        application({
          sync: { status: 'Synced', revision: 'cccc333' },
          history: [
            { id: 1, revision: 'aaaa111', deployedAt: '2026-10-20T10:00:00Z' },
            {
              id: 2,
              revision: 'bbbb222',
              deployStartedAt: '2026-11-20T09:59:00Z',
              deployedAt: '2026-11-20T10:00:00Z',
            },
          ],
          operationState: {
            phase: 'Failed',
            message: 'one or more objects failed to apply',
            startedAt: '2026-11-21T10:00:00Z',
            finishedAt: '2026-11-21T10:02:00Z',
            operation: { sync: { revision: 'cccc333' } },
            syncResult: { revision: 'cccc333' },
          },
        }),
      );
    }),
  ),
);

describe('ArgoCdSyncHistory', () => {
  const reader = new ArgoCdSyncHistory({ baseUrl: argo, token: 'argo_token' });

  it('reads successful syncs in the window and a failed last operation', async () => {
    await expect(
      reader.read({
        application: 'payments-api',
        service: 'payments-api',
        since,
      }),
    ).resolves.toEqual([
      {
        source: 'argocd',
        service: 'payments-api',
        commit: 'bbbb222',
        deployedAt: '2026-11-20T10:00:00Z',
        status: 'success',
      },
      {
        source: 'argocd',
        service: 'payments-api',
        commit: 'cccc333',
        deployedAt: '2026-11-21T10:02:00Z',
        status: 'failure',
      },
    ]);
  });

  it('gives no deployment for an application that never synced', async () => {
    await expect(
      reader.read({
        application: 'new-service',
        service: 'new-service',
        since,
      }),
    ).resolves.toEqual([]);
  });

  it('refuses with the status when the token is refused', async () => {
    const bad = new ArgoCdSyncHistory({ baseUrl: argo, token: 'expired' });
    await expect(
      bad.read({ application: 'payments-api', service: 'payments-api', since }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      response: { status: 401 },
    });
  });
});
