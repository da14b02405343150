import { DatabaseService } from '@backstage/backend-plugin-api';

/** A timestamp as the scaffolder's tables hold it: a Date (PostgreSQL) or UTC text (SQLite). */
function millis(value: unknown): number | undefined {
  if (value instanceof Date) {
    return value.getTime();
  }
  if (typeof value === 'string') {
    // SQLite's CURRENT_TIMESTAMP: 'YYYY-MM-DD HH:MM:SS', in UTC
    const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(value)
      ? `${value.replace(' ', 'T')}Z`
      : value;
    const parsed = Date.parse(iso);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/**
 * How long a task waited without running: after each `recovered` event (a restart
 * resumed it, or someone retried it after a failure), the time since the event before,
 * when the task last did something. Read from the scaffolder's own task store, which
 * this module shares as a module of the scaffolder plugin: the task API hides what came
 * before a recovery of a `startOver` template, and says nothing of restarts.
 */
export class TaskDowntime {
  static create(options: { database: DatabaseService }): TaskDowntime {
    return new TaskDowntime(options.database);
  }

  private constructor(private readonly database: DatabaseService) {}

  /** Milliseconds the task spent waiting for a restart or a retry; 0 when none. */
  async of(taskId: string): Promise<number> {
    const db = await this.database.getClient();
    const [task] = await db('tasks').where({ id: taskId }).select('created_at');
    const events = await db('task_events')
      .where({ task_id: taskId })
      .orderBy('id')
      .select('event_type', 'created_at');
    let last = millis(task?.created_at);
    let downtime = 0;
    for (const event of events) {
      const at = millis(event.created_at);
      if (at === undefined) {
        continue;
      }
      if (event.event_type === 'recovered' && last !== undefined) {
        downtime += Math.max(0, at - last);
      }
      last = last === undefined ? at : Math.max(last, at);
    }
    return downtime;
  }
}
