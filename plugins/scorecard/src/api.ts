import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/frontend-plugin-api';
import {
  EntityScorecardResponse,
  EntitySummary,
  ExemptionDecision,
  ExemptionList,
  ExemptionRecord,
  ExemptionRequest,
  ExemptionStatus,
  OwnedEntitiesResponse,
  RulesResponse,
  ScorecardOverview,
} from '@internal/plugin-scorecard-common';

// Every request and answer below has a type generated from the backend's OpenAPI spec
// (plugins/scorecard-backend/src/schema/openapi.yaml), through scorecard-common.

/**
 * An optional note recorded with a decision on an exemption: the body of the decision.
 *
 * @public
 */
export type ExemptionDecisionOptions = ExemptionDecision;

/**
 * The scorecard backend, as the frontend sees it.
 *
 * @public
 */
export interface ScorecardApi {
  getRules(): Promise<RulesResponse>;
  /** Resolves to `undefined` when the entity is unknown or not evaluated yet. */
  /** Undefined when the entity is unknown; `history` adds the daily history. */
  getEntityScorecard(
    entityRef: CompoundEntityRef,
    options?: { history?: boolean },
  ): Promise<EntityScorecardResponse | undefined>;
  getOverview(): Promise<ScorecardOverview>;
  /** The evaluated entities of these owners (at most 20), by reference. */
  listOwnedEntities(owners: string[]): Promise<EntitySummary[]>;
  /** Newest first; `status` filters on the stored status (`approved` includes expired). */
  listExemptions(options: {
    entityRef?: string;
    status?: ExemptionStatus;
  }): Promise<ExemptionRecord[]>;
  requestExemption(request: ExemptionRequest): Promise<ExemptionRecord>;
  approveExemption(
    id: string,
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord>;
  rejectExemption(
    id: string,
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord>;
  revokeExemption(
    id: string,
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord>;
}

/**
 * The reference to the {@link ScorecardApi}.
 *
 * @public
 */
export const scorecardApiRef = createApiRef<ScorecardApi>().with({
  id: 'plugin.scorecard.api',
  pluginId: 'scorecard',
});

/**
 * Talks to the scorecard backend plugin over HTTP, as the signed-in user.
 *
 * @public
 */
export class ScorecardClient implements ScorecardApi {
  static create(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
  }): ScorecardClient {
    return new ScorecardClient(options.discoveryApi, options.fetchApi);
  }

  private constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  async getRules(): Promise<RulesResponse> {
    return this.request('/rules');
  }

  async getEntityScorecard(
    entityRef: CompoundEntityRef,
    options?: { history?: boolean },
  ): Promise<EntityScorecardResponse | undefined> {
    const path = [entityRef.kind, entityRef.namespace, entityRef.name]
      .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
      .join('/');
    const response = await this.send(
      `/entities/${path}${options?.history ? '?history=true' : ''}`,
    );
    if (response.status === 404) {
      return undefined;
    }
    return this.parse(response);
  }

  async getOverview(): Promise<ScorecardOverview> {
    return this.request('/overview');
  }

  async listOwnedEntities(owners: string[]): Promise<EntitySummary[]> {
    const query = new URLSearchParams(owners.map(owner => ['owner', owner]));
    const body = await this.request<OwnedEntitiesResponse>(
      `/entities?${query}`,
    );
    return body.items;
  }

  async listExemptions(options: {
    entityRef?: string;
    status?: ExemptionStatus;
  }): Promise<ExemptionRecord[]> {
    const query = new URLSearchParams();
    if (options.entityRef) {
      query.set('entityRef', options.entityRef);
    }
    if (options.status) {
      query.set('status', options.status);
    }
    const search = query.toString() ? `?${query}` : '';
    const body = await this.request<ExemptionList>(`/exemptions${search}`);
    return body.items;
  }

  async requestExemption(request: ExemptionRequest): Promise<ExemptionRecord> {
    return this.request<ExemptionRecord, ExemptionRequest>('/exemptions', {
      method: 'POST',
      body: request,
    });
  }

  async approveExemption(
    id: string,
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord> {
    return this.decide(id, 'approve', options);
  }

  async rejectExemption(
    id: string,
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord> {
    return this.decide(id, 'reject', options);
  }

  async revokeExemption(
    id: string,
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord> {
    return this.decide(id, 'revoke', options);
  }

  private async decide(
    id: string,
    decision: 'approve' | 'reject' | 'revoke',
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord> {
    return this.request<ExemptionRecord, ExemptionDecision>(
      `/exemptions/${encodeURIComponent(id)}/${decision}`,
      { method: 'POST', body: { comment: options?.comment } },
    );
  }

  private async request<TAnswer, TBody = never>(
    path: string,
    init?: { method: 'POST'; body: TBody },
  ): Promise<TAnswer> {
    return this.parse(await this.send(path, init));
  }

  private async send(
    path: string,
    init?: { method: 'POST'; body: unknown },
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('scorecard');
    return this.fetchApi.fetch(
      `${baseUrl}${path}`,
      init && {
        method: init.method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(init.body),
      },
    );
  }

  private async parse<T>(response: Response): Promise<T> {
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
