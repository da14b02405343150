import { ResponseError } from '@backstage/errors';
import { IncidentFact } from '../deployments';
import { resetFrom, SourceRateLimited } from './SourceError';

/** The annotation every golden path writes on the service's catalog entity. */
export const PAGERDUTY_SERVICE_ID_ANNOTATION = 'pagerduty/service-id';

// At most this many pages (of 100) per service.
const MAX_PAGES = 10;

type PagerDutyIncident = {
  id: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  created_at: string;
  resolved_at?: string | null;
  last_status_change_at?: string;
};

type IncidentPage = {
  incidents: PagerDutyIncident[];
  limit: number;
  offset: number;
  more: boolean;
};

/**
 * Incidents of one PagerDuty service (REST API v2, `GET /incidents`), paged with
 * `offset`/`more`; time to restore is `resolved_at` − `created_at`.
 */
export class PagerDutyIncidents {
  constructor(
    private readonly options: {
      token: string;
      baseUrl?: string;
      fetch?: typeof fetch;
    },
  ) {}

  async read(options: {
    serviceId: string;
    service: string;
    since: Date;
    now: Date;
  }): Promise<IncidentFact[]> {
    const base = this.options.baseUrl ?? 'https://api.pagerduty.com';
    const facts: IncidentFact[] = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = new URL('/incidents', base);
      url.searchParams.append('service_ids[]', options.serviceId);
      url.searchParams.set('since', options.since.toISOString());
      url.searchParams.set('until', options.now.toISOString());
      url.searchParams.set('limit', '100');
      url.searchParams.set('offset', String(offset));
      url.searchParams.set('time_zone', 'UTC');
      const response = await (this.options.fetch ?? fetch)(url, {
        headers: {
          Accept: 'application/vnd.pagerduty+json;version=2',
          Authorization: `Token token=${this.options.token}`,
        },
      });
      if (response.status === 429) {
        throw new SourceRateLimited(
          'PagerDuty',
          resetFrom(
            options.now,
            response.headers.get('retry-after') ??
              response.headers.get('ratelimit-reset'),
          ),
        );
      }
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const body = (await response.json()) as IncidentPage;
      for (const incident of body.incidents) {
        const resolvedAt =
          incident.resolved_at ??
          (incident.status === 'resolved'
            ? incident.last_status_change_at
            : undefined);
        facts.push({
          id: incident.id,
          service: options.service,
          triggeredAt: incident.created_at,
          ...(resolvedAt && { resolvedAt }),
        });
      }
      if (!body.more || body.incidents.length === 0) {
        break;
      }
      offset = body.offset + body.incidents.length;
    }
    return facts;
  }
}
