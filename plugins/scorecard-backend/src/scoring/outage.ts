import { ResponseError } from '@backstage/errors';
import { isDatabaseUnavailable } from '@internal/paved-road-node';

const UNAVAILABLE_STATUSES = new Set([502, 503, 504]);

/**
 * Whether an error means the scorecard cannot answer right now for a reason outside the
 * request: its database cannot be reached, or the catalog is unavailable (it answers
 * 502 to 504, or fails because its own database cannot be reached: in production both
 * live on the same PostgreSQL, so an outage takes both at once).
 */
export function isOutage(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) {
    return true;
  }
  return (
    ResponseError.is(error) &&
    (UNAVAILABLE_STATUSES.has(error.statusCode) ||
      isDatabaseUnavailable(error.cause))
  );
}
