import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_RETRY_BASE_DELAY_MS = 250;
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

/** Where and how one endpoint is posted to. */
export type DeliverySettings = {
  endpoint: URL;
  token?: string;
  allowedHosts: string[];
  timeoutMs: number;
  retries: number;
  retryBaseDelayMs: number;
};

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
    return `host '${endpoint.host}' is not in pavedRoad.events.allowedHosts`;
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
