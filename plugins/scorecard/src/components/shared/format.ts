/** The calendar day (UTC) of an ISO timestamp, like `2025-07-01`. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

/** A share between 0 and 1 as a whole percentage, like `83%`. */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Adds whole days to a UTC calendar day, returning a `YYYY-MM-DD` day. */
export function addDays(day: Date, days: number): string {
  const next = new Date(day.getTime());
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}
