import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PagerDutyIncidents } from './PagerDutyIncidents';
import { SourceRateLimited } from './SourceError';

// PagerDuty REST API v2 at the HTTP layer: GET /incidents with offset/limit/more paging,
// the Token header, and 429 when the account's rate limit is reached.

const api = 'https://api.pagerduty.com';
const server = setupServer();
const since = new Date('2026-11-01T00:00:00Z');
const now = new Date('2026-11-26T12:00:00Z');

function incident(n: number, createdAt: string, resolvedAt?: string) {
  return {
    id: `Q0INC${n}`,
    type: 'incident',
    summary: `[#${n}] payments-api: error rate above 5%`,
    incident_number: n,
    status: resolvedAt ? 'resolved' : 'triggered',
    urgency: 'high',
    created_at: createdAt,
    updated_at: resolvedAt ?? createdAt,
    last_status_change_at: resolvedAt ?? createdAt,
    resolved_at: resolvedAt ?? null,
    service: {
      id: 'PSVC123',
      type: 'service_reference',
      summary: 'payments-api',
    },
    html_url: `https://acme.pagerduty.com/incidents/Q0INC${n}`,
  };
}

const seen: string[] = [];
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  seen.length = 0;
  server.resetHandlers(
    http.get(`${api}/incidents`, ({ request }) => {
      const url = new URL(request.url);
      if (request.headers.get('authorization') !== 'Token token=pd_token') {
        return HttpResponse.json(
          { error: { message: 'Unauthorized', code: 2006 } },
          { status: 401 },
        );
      }
      const service = url.searchParams.getAll('service_ids[]')[0];
      if (service === 'PBUSY') {
        return HttpResponse.json(
          { error: { message: 'Rate Limit Exceeded', code: 2020 } },
          { status: 429, headers: { 'ratelimit-reset': '30' } },
        );
      }
      const offset = Number(url.searchParams.get('offset'));
      seen.push(`${url.searchParams.get('limit')}@${offset}`);
      const all = [
        ...Array.from({ length: 100 }, (_, i) =>
          incident(i + 1, '2026-11-02T10:00:00Z', '2026-11-02T11:00:00Z'),
        ),
        incident(101, '2026-11-25T08:00:00Z', '2026-11-25T08:30:00Z'),
        incident(102, '2026-11-26T09:00:00Z'),
      ];
      const page = all.slice(offset, offset + 100);
      return HttpResponse.json({
        incidents: page,
        limit: 100,
        offset,
        more: offset + page.length < all.length,
        total: null,
      });
    }),
  );
});

describe('PagerDutyIncidents', () => {
  const reader = new PagerDutyIncidents({ token: 'pd_token' });

  it('pages with offset until more is false', async () => {
    const facts = await reader.read({
      serviceId: 'PSVC123',
      service: 'payments-api',
      since,
      now,
    });
    expect(seen).toEqual(['100@0', '100@100']);
    expect(facts).toHaveLength(102);
    expect(facts.slice(100)).toEqual([
      {
        id: 'Q0INC101',
        service: 'payments-api',
        triggeredAt: '2026-11-25T08:00:00Z',
        resolvedAt: '2026-11-25T08:30:00Z',
      },
      {
        id: 'Q0INC102',
        service: 'payments-api',
        triggeredAt: '2026-11-26T09:00:00Z',
      },
    ]);
  });

  it('stops at 429, saying when to try again', async () => {
    const error = await reader
      .read({ serviceId: 'PBUSY', service: 'busy', since, now })
      .catch(e => e);
    expect(error).toBeInstanceOf(SourceRateLimited);
    expect(error.resetAt.toISOString()).toBe('2026-11-26T12:00:30.000Z');
  });
});
