/** A source is out of quota until `resetAt`; the figures keep what was read and say so. */
export class SourceRateLimited extends Error {
  constructor(readonly source: string, readonly resetAt: Date) {
    super(`${source}'s rate limit is reached until ${resetAt.toISOString()}`);
  }
}

/** When to try again, from `Retry-After` (seconds) or a reset epoch, else in a minute. */
export function resetFrom(
  now: Date,
  retryAfter: string | null | undefined,
  resetEpochSeconds?: string | null,
): Date {
  const reset = Number(resetEpochSeconds);
  if (resetEpochSeconds && Number.isFinite(reset) && reset > 0) {
    return new Date(reset * 1000);
  }
  const seconds = Number(retryAfter);
  return new Date(
    now.getTime() +
      (retryAfter && Number.isFinite(seconds) ? seconds : 60) * 1000,
  );
}
