import { ServiceUnavailableError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ErrorRequestHandler } from 'express';

// Node's socket errors when the server is gone or not reachable.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

// PostgreSQL SQLSTATEs of a server going away, starting up, or out of connections:
// class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting) and 53300.
const POSTGRES_CODES = /^(08\d{3}|57P0[1-3]|53300)$/;

// What node-postgres and knex say when a connection dies or none can be had.
const MESSAGES =
  /Connection terminated|connection error|Timeout acquiring a connection|the database system is (starting up|shutting down)/i;

/**
 * Whether an error means the database cannot be reached right now (down, restarting,
 * out of connections), as opposed to a bad query or bad data: the request may succeed
 * when retried.
 *
 * @public
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, name, message } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || POSTGRES_CODES.test(code)) {
      return true;
    }
  }
  if (name === 'KnexTimeoutError') {
    return true;
  }
  return typeof message === 'string' && MESSAGES.test(message);
}

/**
 * Seconds a client should wait before trying again while the database is away: a
 * restart or a failover takes seconds.
 *
 * @public
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The last error handler of a plugin's router: while the database cannot be reached the
 * answer is `503 Service Unavailable` with `Retry-After`, saying so, instead of a 500 with
 * the driver's message. Other errors pass on unchanged.
 *
 * @public
 */
export function databaseOutageHandler(options?: {
  what?: string;
  logger?: LoggerService;
}): ErrorRequestHandler {
  const what = options?.what ?? 'This service';
  return (error, req, res, next) => {
    if (!isDatabaseUnavailable(error)) {
      next(error);
      return;
    }
    // The driver's words go to the log, not to the caller.
    options?.logger?.warn(
      `Database unavailable during ${req.method} ${req.originalUrl}: ${error}`,
    );
    res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    next(
      new ServiceUnavailableError(
        `${what} cannot reach its database right now; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds`,
      ),
    );
  };
}
