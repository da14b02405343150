import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  LevelsResponse,
  RulesResponse,
  ScorecardApiOperations,
  TrendResponse,
} from '@internal/plugin-scorecard-common';

// The query of `GET /trend`, as the backend's OpenAPI spec has it.
type TrendQuery = NonNullable<
  ScorecardApiOperations['GetTrend']['parameters']['query']
>;

/**
 * Options of every {@link ScorecardClient} call.
 *
 * @public
 */
export interface ScorecardRequestOptions {
  /** Whom the request is made for; the calling plugin itself when left out. */
  credentials?: BackstageCredentials;
}

// The scorecard answers from its own database; longer than this means it is in trouble.
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The scorecard's HTTP API for other backend plugins, with plugin-to-plugin tokens.
 * A failed call throws a `ResponseError` carrying the status, such as 404 when the
 * scorecard plugin is not installed.
 *
 * @public
 */
export class ScorecardClient {
  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
    private readonly timeoutMs: number,
  ) {}

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    /** How long one call may take; 10 seconds by default. */
    timeoutMs?: number;
  }): ScorecardClient {
    return new ScorecardClient(
      options.discovery,
      options.auth,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
  }

  /** `GET /rules`: the rules, levels and gate level in force. */
  async rules(options: ScorecardRequestOptions = {}): Promise<RulesResponse> {
    return this.get<RulesResponse>('/rules', options);
  }

  /** `GET /levels`: each evaluated entity's level now and on its first day. */
  async levels(options: ScorecardRequestOptions = {}): Promise<LevelsResponse> {
    return this.get<LevelsResponse>('/levels', options);
  }

  /** `GET /trend`: the daily trend, of one owner's entities when `owner` is given. */
  async trend(
    options: ScorecardRequestOptions & TrendQuery = {},
  ): Promise<TrendResponse> {
    const query = options.owner
      ? `?${new URLSearchParams({ owner: options.owner })}`
      : '';
    return this.get<TrendResponse>(`/trend${query}`, options);
  }

  private async get<T>(
    path: string,
    options: ScorecardRequestOptions,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('scorecard');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf:
        options.credentials ?? (await this.auth.getOwnServiceCredentials()),
      targetPluginId: 'scorecard',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
