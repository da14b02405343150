import { setTimeout as sleep } from 'node:timers/promises';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

const CONFIG_PREFIX = 'pavedRoad.events';
const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 60_000;
const DEFAULT_RETRIES = 3;
const MAX_RETRIES = 10;
const DEFAULT_RETRY_BASE_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 5000;

/** The outcome of posting one event, attempts and retries included. */
export type DeliveryResult = {
  delivered: boolean;
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** Requests made; 0 when the event was refused before sending. */
  attempts: number;
  /** Why the event was not delivered; never contains the token. */
  reason?: string;
};

type AttemptOutcome =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; status?: number; reason: string };

function configError(key: string, message: string): Error {
  return new Error(`Invalid config '${CONFIG_PREFIX}.${key}': ${message}`);
}

function readEndpoint(config: Config): URL | undefined {
  const endpoint = config.getOptionalString(`${CONFIG_PREFIX}.endpoint`);
  if (endpoint === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw configError('endpoint', 'must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError('endpoint', 'must be an http or https URL');
  }
  if (url.username || url.password) {
    // Credentials in the URL would end up in logs; the token has its own key.
    throw configError(
      'endpoint',
      `must not contain credentials; use ${CONFIG_PREFIX}.token`,
    );
  }
  return url;
}

function readAllowedHosts(config: Config, endpoint: URL): string[] {
  const hosts = config.getOptionalStringArray(`${CONFIG_PREFIX}.allowedHosts`);
  if (hosts === undefined) {
    return [endpoint.host];
  }
  return hosts.map(entry => {
    const host = entry.trim().toLowerCase();
    let parsed: URL | undefined;
    try {
      parsed = new URL(`http://${host}`);
    } catch {
      parsed = undefined;
    }
    if (!host || !parsed || parsed.host !== host) {
      throw configError(
        'allowedHosts',
        `'${entry}' is not a host name; give 'host' or 'host:port'`,
      );
    }
    return host;
  });
}

function readInteger(
  config: Config,
  key: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  const value = config.getOptionalNumber(`${CONFIG_PREFIX}.${key}`);
  if (value === undefined) {
    return bounds.fallback;
  }
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw configError(
      key,
      `must be a whole number from ${bounds.min} to ${bounds.max}`,
    );
  }
  return value;
}

/** `timeoutMs` of one attempt and `retries` after it, wherever events go. */
function readAttempts(config: Config) {
  return {
    timeoutMs: readInteger(config, 'timeoutMs', {
      min: 1,
      max: MAX_TIMEOUT_MS,
      fallback: DEFAULT_TIMEOUT_MS,
    }),
    retries: readInteger(config, 'retries', {
      min: 0,
      max: MAX_RETRIES,
      fallback: DEFAULT_RETRIES,
    }),
  };
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })
    ?.cause;
  if (typeof cause?.code === 'string') {
    return `network error (${cause.code})`;
  }
  if (typeof cause?.message === 'string') {
    return `network error (${cause.message})`;
  }
  return `network error (${
    error instanceof Error ? error.message : String(error)
  })`;
}

type DeliverySettings = {
  endpoint: URL;
  token?: string;
  allowedHosts: string[];
  timeoutMs: number;
  retries: number;
  retryBaseDelayMs: number;
};

/** Where events go: `pavedRoad.events.target`, or `endpoint` when an endpoint is set. */
export type EventTarget = 'portal' | 'endpoint' | 'log';

export function readEventTarget(config: Config): EventTarget {
  const target = config.getOptionalString(`${CONFIG_PREFIX}.target`);
  const endpoint = config.getOptionalString(`${CONFIG_PREFIX}.endpoint`);
  if (target === undefined) {
    return endpoint === undefined ? 'portal' : 'endpoint';
  }
  if (target !== 'portal' && target !== 'endpoint' && target !== 'log') {
    throw configError('target', 'must be portal, endpoint or log');
  }
  if (target === 'endpoint' && endpoint === undefined) {
    throw configError(
      'endpoint',
      `is required when ${CONFIG_PREFIX}.target is endpoint`,
    );
  }
  return target;
}

/** What the action needs of a delivery, wherever it goes. */
export interface EventSink {
  readonly destination: string;
  refusal(): string | undefined;
  post(request: {
    body: string;
    idempotencyKey: string;
    signal?: AbortSignal;
  }): Promise<DeliveryResult>;
}

/**
 * Posts events to the configured endpoint: one host list, one timeout per attempt,
 * bounded retries with backoff on network errors, timeouts, 5xx and 429, and no
 * redirects.
 */
export class EventDelivery implements EventSink {
  /** Returns undefined when no endpoint is configured. */
  static fromConfig(
    config: Config,
    options?: { retryBaseDelayMs?: number },
  ): EventDelivery | undefined {
    const endpoint = readEndpoint(config);
    if (!endpoint) {
      return undefined;
    }
    const retryBaseDelayMs =
      options?.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    if (!Number.isFinite(retryBaseDelayMs) || retryBaseDelayMs < 0) {
      throw new Error('retryBaseDelayMs must be a number of at least 0');
    }
    return new EventDelivery({
      endpoint,
      token: config.getOptionalString(`${CONFIG_PREFIX}.token`) || undefined,
      allowedHosts: readAllowedHosts(config, endpoint),
      ...readAttempts(config),
      retryBaseDelayMs,
    });
  }

  static create(settings: DeliverySettings): EventDelivery {
    return new EventDelivery(settings);
  }

  private constructor(private readonly settings: DeliverySettings) {}

  /** The endpoint as it may appear in logs: no query string, no fragment. */
  get destination(): string {
    const { endpoint } = this.settings;
    return `${endpoint.origin}${endpoint.pathname}`;
  }

  /** Why the endpoint may not be posted to, or undefined when it may. */
  refusal(): string | undefined {
    const { endpoint, allowedHosts } = this.settings;
    const host = endpoint.host.toLowerCase();
    const hostname = endpoint.hostname.toLowerCase();
    if (
      allowedHosts.some(allowed => allowed === host || allowed === hostname)
    ) {
      return undefined;
    }
    return `host '${endpoint.host}' is not in ${CONFIG_PREFIX}.allowedHosts`;
  }

  async post(request: {
    body: string;
    idempotencyKey: string;
    signal?: AbortSignal;
  }): Promise<DeliveryResult> {
    const refusal = this.refusal();
    if (refusal) {
      return { delivered: false, attempts: 0, reason: refusal };
    }
    for (let attempts = 1; ; attempts++) {
      const outcome = await this.attempt(request);
      if (outcome.ok) {
        return { delivered: true, status: outcome.status, attempts };
      }
      if (
        !outcome.retryable ||
        attempts > this.settings.retries ||
        request.signal?.aborted
      ) {
        return {
          delivered: false,
          status: outcome.status,
          attempts,
          reason: this.redact(outcome.reason),
        };
      }
      await sleep(this.backoff(attempts), undefined, {
        signal: request.signal,
      }).catch(() => undefined);
    }
  }

  /** Delay before retry number `retry` (1-based): base · 2^(retry-1), capped, plus up to 25% jitter. */
  private backoff(retry: number): number {
    const delay = Math.min(
      MAX_RETRY_DELAY_MS,
      this.settings.retryBaseDelayMs * 2 ** (retry - 1),
    );
    return delay + Math.random() * delay * 0.25;
  }

  private async attempt(request: {
    body: string;
    idempotencyKey: string;
    signal?: AbortSignal;
  }): Promise<AttemptOutcome> {
    const { endpoint, token, timeoutMs } = this.settings;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal
      ? AbortSignal.any([request.signal, timeout])
      : timeout;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Idempotency-Key': request.idempotencyKey,
    };
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: request.body,
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      if (request.signal?.aborted) {
        return {
          ok: false,
          retryable: false,
          reason: 'the task was cancelled',
        };
      }
      if (timeout.aborted) {
        return {
          ok: false,
          retryable: true,
          reason: `no answer within ${timeoutMs} ms`,
        };
      }
      return { ok: false, retryable: true, reason: networkReason(error) };
    }
    // The answer's body is not used; release the connection.
    await response.body?.cancel().catch(() => undefined);
    const { status } = response;
    if (status >= 200 && status < 300) {
      return { ok: true, status };
    }
    if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) {
      return {
        ok: false,
        retryable: false,
        status: status || undefined,
        reason: `answered with a redirect (HTTP ${status}), which is not followed`,
      };
    }
    return {
      ok: false,
      retryable: status >= 500 || status === 429,
      status,
      reason: `answered HTTP ${status}`,
    };
  }

  private redact(text: string): string {
    const { token } = this.settings;
    return token ? text.split(token).join('***') : text;
  }
}

/**
 * Delivers to the portal's own insights backend (`/api/insights/events`) with the
 * scaffolder's service credentials: the default, so the portal counts its own scaffolds
 * with no setup. Timeouts and retries as for an endpoint.
 */
export class PortalEventDelivery implements EventSink {
  readonly destination = "the portal's insights backend";

  constructor(
    private readonly options: {
      config: Config;
      discovery: DiscoveryService;
      auth: AuthService;
      retryBaseDelayMs?: number;
    },
  ) {}

  refusal(): string | undefined {
    return undefined;
  }

  async post(request: {
    body: string;
    idempotencyKey: string;
    signal?: AbortSignal;
  }): Promise<DeliveryResult> {
    const { config, discovery, auth } = this.options;
    let endpoint: URL;
    let token: string;
    try {
      endpoint = new URL(`${await discovery.getBaseUrl('insights')}/events`);
      ({ token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'insights',
      }));
    } catch (error) {
      return {
        delivered: false,
        attempts: 0,
        reason: `the insights backend could not be found (${
          error instanceof Error ? error.message : String(error)
        })`,
      };
    }
    return EventDelivery.create({
      endpoint,
      token,
      allowedHosts: [endpoint.host],
      ...readAttempts(config),
      retryBaseDelayMs:
        this.options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    }).post(request);
  }
}
