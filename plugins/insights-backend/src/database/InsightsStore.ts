import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InsightsEvent } from '@internal/plugin-insights-common';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-insights-backend',
  'migrations',
);

type EventRow = {
  id: string;
  name: string;
  service: string;
  team: string | null;
  template_ref: string | null;
  user_ref: string | null;
  task_id: string | null;
  duration_ms: number | string | null;
  attributes: string;
  occurred_at: string;
  received_at: string;
};

/** An event as stored, with the team it counts for. */
export type StoredEvent = InsightsEvent & { team?: string };

/**
 * The insights plugin's storage: events (once per idempotency key) and a cache of what
 * was read from GitHub. Timestamps are ISO 8601 strings in UTC.
 */
export class InsightsStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<InsightsStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: migrationsDir,
        tableName: 'insights_knex_migrations',
      });
    }
    return new InsightsStore(db);
  }

  /** Stores an event; false when one with the same id is already there. */
  async insertEvent(
    event: InsightsEvent,
    team: string | undefined,
    receivedAt: string,
  ): Promise<boolean> {
    const rows = await this.db<EventRow>('insights_events')
      .insert({
        id: event.id,
        name: event.name,
        service: event.service,
        team: team ?? null,
        template_ref: event.templateRef ?? null,
        user_ref: event.user ?? null,
        task_id: event.taskId ?? null,
        duration_ms: event.duration_ms,
        attributes: JSON.stringify(event.attributes),
        occurred_at: event.occurredAt,
        received_at: receivedAt,
      })
      .onConflict('id')
      .ignore()
      .returning('id');
    return rows.length === 1;
  }

  /** Events of the given names that occurred at or after `since`, oldest first. */
  async events(names: string[], since: string): Promise<StoredEvent[]> {
    const rows = await this.db<EventRow>('insights_events')
      .whereIn('name', names)
      .andWhere('occurred_at', '>=', since)
      .orderBy('occurred_at', 'asc');
    return rows.map(row => ({
      id: row.id,
      name: row.name,
      service: row.service,
      ...(row.team && { team: row.team }),
      ...(row.template_ref && { templateRef: row.template_ref }),
      ...(row.user_ref && { user: row.user_ref }),
      ...(row.task_id && { taskId: row.task_id }),
      duration_ms: row.duration_ms === null ? null : Number(row.duration_ms),
      attributes: JSON.parse(row.attributes),
      occurredAt: row.occurred_at,
    }));
  }

  async cached<T>(
    key: string,
    maxAgeMs: number,
    now: Date,
  ): Promise<T | undefined> {
    const row = await this.db('insights_cache').where('key', key).first();
    if (!row || now.getTime() - Date.parse(row.fetched_at) > maxAgeMs) {
      return undefined;
    }
    return JSON.parse(row.value) as T;
  }

  async cache(key: string, value: unknown, now: Date): Promise<void> {
    await this.db('insights_cache')
      .insert({
        key,
        value: JSON.stringify(value),
        fetched_at: now.toISOString(),
      })
      .onConflict('key')
      .merge();
  }
}
