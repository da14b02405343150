import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { EventsConfig } from '../config';
import {
  DEFAULT_RETRY_BASE_DELAY_MS,
  DeliveryResult,
  EventDelivery,
  EventSink,
} from './eventDelivery';

/**
 * Delivers to the portal's own insights backend (`/api/insights/events`) with the
 * scaffolder's service credentials: the default, so the portal counts its own scaffolds
 * with no setup. Timeouts and retries as for an endpoint.
 */
export class PortalEventDelivery implements EventSink {
  readonly destination = "the portal's insights backend";

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    timeoutMs: number;
    retries: number;
    retryBaseDelayMs: number;
  }): PortalEventDelivery {
    return new PortalEventDelivery(options);
  }

  private constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      timeoutMs: number;
      retries: number;
      retryBaseDelayMs: number;
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
    const { discovery, auth, timeoutMs, retries, retryBaseDelayMs } =
      this.options;
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
      timeoutMs,
      retries,
      retryBaseDelayMs,
    }).post(request);
  }
}

/**
 * Where `portal:event:emit` sends events, from `pavedRoad.events`: the portal's
 * insights backend, the configured endpoint, or nowhere (undefined: the task log only).
 */
export function createEventSink(
  events: EventsConfig,
  options: {
    discovery: DiscoveryService;
    auth: AuthService;
    /** Base of the exponential retry backoff; 250 ms unless a test needs it shorter. */
    retryBaseDelayMs?: number;
  },
): EventSink | undefined {
  const retryBaseDelayMs =
    options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  if (!Number.isFinite(retryBaseDelayMs) || retryBaseDelayMs < 0) {
    throw new Error('retryBaseDelayMs must be a number of at least 0');
  }
  const { timeoutMs, retries } = events;
  if (events.target === 'endpoint' && events.endpoint) {
    return EventDelivery.create({
      endpoint: events.endpoint,
      token: events.token,
      allowedHosts: events.allowedHosts,
      timeoutMs,
      retries,
      retryBaseDelayMs,
    });
  }
  if (events.target === 'portal') {
    return PortalEventDelivery.create({
      discovery: options.discovery,
      auth: options.auth,
      timeoutMs,
      retries,
      retryBaseDelayMs,
    });
  }
  return undefined;
}
