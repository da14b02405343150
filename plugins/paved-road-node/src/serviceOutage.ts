import { LoggerService } from '@backstage/backend-plugin-api';
import { ResponseError, ServiceUnavailableError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
} from './databaseOutage';

const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

// What Backstage answers instead of a database driver's own error (its internal error
// filter keeps the driver's words in the failing service's log): the service failed on
// its database, as every service does while PostgreSQL is shutting down.
const FILTERED_DATABASE_ERROR = /^An internal error occurred logId=[0-9a-f]+$/;

// An answer's cause is the error the other service reported, which may be an answer too:
// the permission service failing because the auth service cannot reach its database.
const MAX_CAUSES = 4;

/**
 * Whether an error means this service cannot answer right now for a reason outside the
 * request: its database cannot be reached, or a service it calls (the catalog, the
 * permission service, another plugin) is unavailable: it answered 502 to 504, or failed
 * because its own database cannot be reached, however deep in its answer that is said.
 * In production every plugin lives on the same PostgreSQL, so an outage takes them all.
 *
 * @public
 */
export function isServiceUnavailable(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSES; depth += 1) {
    if (isDatabaseUnavailable(current)) {
      return true;
    }
    if (!ResponseError.is(current)) {
      return false;
    }
    const { statusCode, cause } = current;
    if (
      UNAVAILABLE_STATUSES.has(statusCode) ||
      (statusCode === 500 && FILTERED_DATABASE_ERROR.test(cause.message))
    ) {
      return true;
    }
    current = cause;
  }
  return false;
}

/**
 * An error handler for the services a plugin calls, after {@link databaseOutageHandler}:
 * while one of them is unavailable (see {@link isServiceUnavailable}) the route answers
 * `503 Service Unavailable` with `Retry-After`, saying which, instead of passing on their
 * 500. Other errors pass on unchanged.
 *
 * @public
 */
export function serviceOutageHandler(options: {
  /** Who answers, like 'The scorecard'. */
  what: string;
  /** What it calls, like 'the catalog'. */
  services: string;
  logger?: LoggerService;
}): ErrorRequestHandler {
  const { what, services, logger } = options;
  return (error, req, res, next) => {
    if (!isServiceUnavailable(error)) {
      next(error);
      return;
    }
    logger?.warn(
      `${services} unavailable during ${req.method} ${req.originalUrl}: ${error}`,
    );
    res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    next(
      new ServiceUnavailableError(
        `${what} cannot reach ${services} right now; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds`,
      ),
    );
  };
}
