import { ScorecardStore } from '../database/ScorecardStore';

// Every entity shows when the last sweep ended: read it at most once every few seconds.
const CACHE_MS = 5_000;

/** When the last sweep ended, recorded by the sweep and read by every entity view. */
export class LastSweep {
  private cached?: { value?: string; readAt: number };

  private constructor(private readonly store: ScorecardStore) {}

  static create(options: { store: ScorecardStore }): LastSweep {
    return new LastSweep(options.store);
  }

  async finishedAt(): Promise<string | undefined> {
    const cached = this.cached;
    if (cached && Date.now() - cached.readAt < CACHE_MS) {
      return cached.value;
    }
    const value = (await this.store.lastSweep())?.finishedAt;
    this.cached = { value, readAt: Date.now() };
    return value;
  }

  async record(sweep: {
    finishedAt: string;
    entities: number;
    durationMs: number;
  }): Promise<void> {
    this.cached = { value: sweep.finishedAt, readAt: Date.now() };
    await this.store.recordSweep(sweep);
  }
}
