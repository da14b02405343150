import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DoraReader } from './DoraReader';

// Argo CD and PagerDuty at the HTTP layer, one answering and one refusing, to show one
// source's failure leaves the other's facts and a sentence saying what is missing.

const server = setupServer(
  http.get('https://argocd.example.com/api/v1/applications/:name', () =>
    HttpResponse.json(
      { error: 'invalid session: token is expired', code: 16 },
      { status: 401 },
    ),
  ),
  http.get('https://api.pagerduty.com/incidents', () =>
    HttpResponse.json({
      incidents: [
        {
          id: 'Q1',
          status: 'resolved',
          created_at: '2026-11-20T10:00:00Z',
          resolved_at: '2026-11-20T11:00:00Z',
        },
      ],
      limit: 100,
      offset: 0,
      more: false,
    }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const config = new ConfigReader({
  insights: {
    dora: {
      failureWindowHours: 12,
      argocd: { baseUrl: 'https://argocd.example.com', token: 'expired' },
      pagerduty: { token: 'pd_token' },
    },
  },
});

describe('DoraReader', () => {
  it('keeps what one source read when another refuses, and says so', async () => {
    const reader = DoraReader.fromConfig(config, {
      logger: mockServices.logger.mock(),
    });
    expect(reader.windows).toEqual({ dedupMinutes: 60, failureHours: 12 });
    const facts = await reader.read({
      services: [
        {
          name: 'payments-api',
          annotations: {
            'argocd/app-name': 'payments-api',
            'pagerduty/service-id': 'PSVC123',
            // GitHub is not configured here: the slug is not read.
            'github.com/project-slug': 'acme/payments-api',
          },
        },
      ],
      since: new Date('2026-11-01T00:00:00Z'),
      now: new Date('2026-11-26T12:00:00Z'),
    });
    expect(facts).toEqual({
      deployments: [],
      incidents: [
        {
          id: 'Q1',
          service: 'payments-api',
          triggeredAt: '2026-11-20T10:00:00Z',
          resolvedAt: '2026-11-20T11:00:00Z',
        },
      ],
      problems: ['Argo CD could not be read for payments-api'],
    });
  });
});
