import { ResponseError } from '@backstage/errors';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import {
  FiguresQuery,
  FiguresResponse,
} from '@internal/plugin-insights-common';

// The query and the answer have types generated from the backend's OpenAPI spec
// (plugins/insights-backend/src/schema/openapi.yaml), through insights-common.
export type { FiguresQuery };

/**
 * The insights backend, as the frontend sees it.
 *
 * @public
 */
export interface InsightsApi {
  getFigures(query?: FiguresQuery): Promise<FiguresResponse>;
}

/**
 * The reference to the {@link InsightsApi}.
 *
 * @public
 */
export const insightsApiRef = createApiRef<InsightsApi>().with({
  id: 'plugin.insights.api',
  pluginId: 'insights',
});

/**
 * Talks to the insights backend plugin over HTTP, as the signed-in user.
 *
 * @public
 */
export class InsightsClient implements InsightsApi {
  static create(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
  }): InsightsClient {
    return new InsightsClient(options.discoveryApi, options.fetchApi);
  }

  private constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  async getFigures(query: FiguresQuery = {}): Promise<FiguresResponse> {
    const params = new URLSearchParams();
    if (query.weeks !== undefined) {
      params.set('weeks', String(query.weeks));
    }
    if (query.team) {
      params.set('team', query.team);
    }
    const search = params.toString() ? `?${params}` : '';
    const baseUrl = await this.discoveryApi.getBaseUrl('insights');
    const response = await this.fetchApi.fetch(`${baseUrl}/figures${search}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
