// The HTTP server: a small router, the operational endpoints (/healthz, /readyz, /metrics),
// request logs and metrics, and a graceful close.
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.ts';
import { METRICS_CONTENT_TYPE, type Registry } from './metrics.ts';

export type Reply = {
  status: number;
  /** A string is sent as text/plain, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
};

export type RequestContext = {
  request: IncomingMessage;
  url: URL;
  /** Values of the `:name` segments of the route's path. */
  params: Record<string, string>;
  requestId: string;
  /** Tagged with the request id. */
  logger: Logger;
};

export type Handler = (context: RequestContext) => Reply | Promise<Reply>;

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Exact segments, or `:name` for one variable segment, e.g. `/payments/:id`. */
  path: string;
  handler: Handler;
};

/** Throw from a handler to answer with this status; 4xx messages are shown to the client. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

export type HttpServerOptions = {
  logger: Logger;
  registry: Registry;
  routes?: Route[];
};

export type HttpServer = {
  readonly server: Server;
  /** Resolves with the bound port, useful with port 0. */
  listen(port: number, host?: string): Promise<number>;
  /** Readiness starts false: set it once the service can take traffic. */
  setReady(ready: boolean): void;
  isReady(): boolean;
  /**
   * Marks the service not ready, waits `drainDelayMs` while still serving (so load balancers
   * stop routing here), then stops accepting connections and resolves when in-flight
   * requests have finished.
   */
  close(options?: { drainDelayMs?: number }): Promise<void>;
};

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const KNOWN_METHODS = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);
const REQUEST_ID = /^[\w.:-]{1,128}$/;

type CompiledRoute = Route & { segments: string[] };

function matchPath(
  segments: string[],
  pathSegments: string[],
): Record<string, string> | undefined {
  if (segments.length !== pathSegments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const actual = pathSegments[i];
    if (segment.startsWith(':')) {
      if (actual === '') {
        return undefined;
      }
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}

function send(
  response: ServerResponse,
  reply: Reply,
  extraHeaders: Record<string, string>,
) {
  const headers: Record<string, string> = { ...extraHeaders };
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  let payload: string | undefined;
  if (typeof reply.body === 'string') {
    payload = reply.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (payload !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  response.writeHead(reply.status, headers);
  response.end(payload);
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger, registry } = options;
  const routes: CompiledRoute[] = (options.routes ?? []).map(route => {
    if (OPS_PATHS.has(route.path)) {
      throw new Error(`Route ${route.path} is reserved`);
    }
    return { ...route, segments: route.path.split('/') };
  });

  const requestsTotal = registry.counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, excluding /healthz, /readyz and /metrics.',
    labelNames: ['method', 'route', 'status'],
  });
  const requestDuration = registry.histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to sending its response.',
    labelNames: ['method', 'route', 'status'],
  });
  const requestsInFlight = registry.gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served.',
  });

  let ready = false;
  let closing = false;
  let closed: Promise<void> | undefined;

  const opsReply = (path: string): Reply => {
    if (path === '/healthz') {
      return { status: 200, body: { status: 'ok' } };
    }
    if (path === '/readyz') {
      return ready
        ? { status: 200, body: { status: 'ready' } }
        : { status: 503, body: { status: 'not ready' } };
    }
    return {
      status: 200,
      body: registry.render(),
      headers: { 'content-type': METRICS_CONTENT_TYPE },
    };
  };

  const findRoute = (method: string | undefined, pathname: string) => {
    const pathSegments = pathname.split('/');
    const wanted = method === 'HEAD' ? 'GET' : method;
    let pathMatch: CompiledRoute | undefined;
    const allowed = new Set<string>();
    for (const candidate of routes) {
      const params = matchPath(candidate.segments, pathSegments);
      if (!params) {
        continue;
      }
      if (candidate.method === wanted) {
        return { route: candidate, params, allowed };
      }
      pathMatch ??= candidate;
      allowed.add(candidate.method);
      if (candidate.method === 'GET') {
        allowed.add('HEAD');
      }
    }
    return { route: pathMatch, params: undefined, allowed };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    const header = request.headers['x-request-id'];
    const requestId =
      typeof header === 'string' && REQUEST_ID.test(header)
        ? header
        : randomUUID();
    const requestLogger = logger.child({ requestId });
    const method = KNOWN_METHODS.has(request.method ?? '')
      ? request.method!
      : 'OTHER';

    let url: URL;
    try {
      url = new URL(`http://localhost${request.url ?? '/'}`);
    } catch {
      url = new URL('http://localhost/');
    }
    const isOps =
      OPS_PATHS.has(url.pathname) &&
      (request.method === 'GET' || request.method === 'HEAD');

    let reply: Reply;
    let routeLabel = url.pathname;
    let failure: unknown;
    if (isOps) {
      reply = opsReply(url.pathname);
    } else {
      const match = findRoute(request.method, url.pathname);
      // The route's template, never the raw path, keeps the metric's label values bounded.
      routeLabel = match.route?.path ?? 'unmatched';
      requestsInFlight.inc({});
      try {
        if (match.route && match.params) {
          reply = await match.route.handler({
            request,
            url,
            params: match.params,
            requestId,
            logger: requestLogger,
          });
        } else if (match.route) {
          reply = {
            status: 405,
            body: { error: 'Method Not Allowed' },
            headers: { allow: [...match.allowed].join(', ') },
          };
        } else {
          reply = { status: 404, body: { error: 'Not Found' } };
        }
      } catch (error) {
        if (error instanceof HttpError && error.status < 500) {
          reply = {
            status: error.status,
            body: { error: error.message },
            headers: error.headers,
          };
        } else {
          failure = error;
          const status = error instanceof HttpError ? error.status : 500;
          reply = { status, body: { error: 'Internal Server Error' } };
        }
      } finally {
        requestsInFlight.dec({});
      }
    }

    const extraHeaders: Record<string, string> = { 'x-request-id': requestId };
    if (closing) {
      // Tells keep-alive clients to reconnect, so the server can finish closing.
      extraHeaders.connection = 'close';
    }
    send(response, reply, extraHeaders);

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const fields = {
      method: request.method,
      route: routeLabel,
      path: url.pathname,
      status: reply.status,
      durationMs: Math.round(seconds * 1e4) / 10,
    };
    if (isOps) {
      requestLogger.debug('request', fields);
      return;
    }
    const labels = { method, route: routeLabel, status: reply.status };
    requestsTotal.inc(labels);
    requestDuration.observe(labels, seconds);
    if (reply.status >= 500) {
      requestLogger.error('request failed', { ...fields, err: failure });
    } else {
      requestLogger.info('request', fields);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(error => {
      // Only reachable if writing the response itself failed.
      logger.error('unhandled request error', { err: error });
      response.destroy();
    });
  });
  // Longer than the idle timeout of the load balancer in front (60 s for AWS ALB and
  // ingress-nginx), so the balancer never reuses a connection this server just closed.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port, host }, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    setReady(value) {
      ready = value;
    },
    isReady() {
      return ready;
    },
    close({ drainDelayMs = 0 } = {}) {
      ready = false;
      closed ??= (async () => {
        if (drainDelayMs > 0) {
          await sleep(drainDelayMs);
        }
        closing = true;
        if (!server.listening) {
          return;
        }
        await new Promise<void>((resolve, reject) => {
          server.close(error => (error ? reject(error) : resolve()));
        });
      })();
      return closed;
    },
  };
}
