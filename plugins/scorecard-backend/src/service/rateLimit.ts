import { CustomErrorBase } from '@backstage/errors';
import { LRUCache } from 'lru-cache';

/**
 * Too many requests from one caller: answers 429 (the error handler reads `statusCode`),
 * with the seconds to wait in `retryAfterSeconds` for the Retry-After header.
 */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/**
 * At most `perMinute` calls per key in any sliding minute, on this replica. Keys are
 * forgotten a minute after their last call, and at most `maxKeys` are tracked at once, so
 * many callers cannot grow memory without end.
 */
export class RateLimiter {
  private readonly calls: LRUCache<string, number[]>;

  private constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
    maxKeys: number,
  ) {
    this.calls = new LRUCache({
      max: maxKeys,
      ttl: 60_000,
      ttlAutopurge: false,
    });
  }

  static create(options: {
    perMinute: number;
    now?: () => number;
    maxKeys?: number;
  }): RateLimiter {
    return new RateLimiter(
      options.perMinute,
      options.now ?? Date.now,
      options.maxKeys ?? 10_000,
    );
  }

  /** Counts one call for `key`, or throws {@link TooManyRequestsError} naming `what`. */
  take(key: string, what: string): void {
    const now = this.now();
    const recent = (this.calls.get(key) ?? []).filter(t => now - t < 60_000);
    if (recent.length >= this.perMinute) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((recent[0] + 60_000 - now) / 1000),
      );
      throw new TooManyRequestsError(
        `Too many ${what}: at most ${this.perMinute} a minute; try again in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      );
    }
    recent.push(now);
    this.calls.set(key, recent);
  }
}
