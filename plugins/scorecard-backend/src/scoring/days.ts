import { normalizeTimestamp } from '@internal/paved-road-common';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** YYYY-MM-DD in UTC. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first day of a history `days` long that ends at `now`. */
export function daysBefore(now: Date, days: number): string {
  return dayOf(new Date(now.getTime() - days * DAY_MS));
}

/**
 * An ISO 8601 date (its midnight, UTC) or timestamp with an offset, in the one form we
 * store: UTC with milliseconds, so stored instants sort in time order and fit the same
 * column on either database. Undefined for anything else, a 30 February included.
 */
export function instantOf(value: string): string | undefined {
  const trimmed = value.trim();
  return normalizeTimestamp(
    /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed,
  );
}
