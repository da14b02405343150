import {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { PORTAL_TOPIC, sendNotification } from './send';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

/** Our one table in the scaffolder's database: how far each reader of its events got. */
const MARKS_TABLE = 'paved_road_marks';
const MARK = 'failed-task-notices';
// Completion events read per run; the rest wait for the next run.
const BATCH = 100;

type CompletionRow = {
  id: number | string;
  task_id: string;
  body: string;
  status: string;
  created_by: string | null;
  spec: string;
};

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function field(value: unknown, ...path: string[]): string | undefined {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) {
      return undefined;
    }
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' && at ? at : undefined;
}

async function ensureMarksTable(db: Knex): Promise<void> {
  if (await db.schema.hasTable(MARKS_TABLE)) {
    return;
  }
  try {
    await db.schema.createTable(MARKS_TABLE, table => {
      table.string('name', 100).primary().notNullable();
      table.bigInteger('value').notNullable();
    });
  } catch (error) {
    // another replica created it meanwhile
    if (!(await db.schema.hasTable(MARKS_TABLE))) {
      throw error;
    }
  }
}

/**
 * Tells whoever started a scaffolder task that it failed. The scaffolder has no hook for
 * that, so this reads its task store (this module's database is the scaffolder's): each
 * task's `completion` event, after a stored high-water mark (the last event id dealt
 * with), so each failure is told once whatever the number of replicas, when run as a
 * global scheduled task. The mark starts at the latest event when the backend starts:
 * failures from before the portal had notifications are not told.
 */
export class FailedTaskNotices {
  private constructor(
    private readonly deps: {
      database: DatabaseService;
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  static create(deps: {
    database: DatabaseService;
    notifications: NotificationService;
    logger: LoggerService;
  }): FailedTaskNotices {
    return new FailedTaskNotices(deps);
  }

  /**
   * Sets the mark at the latest event, unless it is set: called at startup, before the
   * scaffolder runs a task, so that failures from before are not told and every later
   * one is. On a fresh database (the scaffolder not migrated yet) the mark is 0.
   */
  async prepare(): Promise<void> {
    const db = await this.deps.database.getClient();
    await ensureMarksTable(db);
    await this.markOf(db);
  }

  /** Tells the failures since the mark; returns how many were told. */
  async run(): Promise<number> {
    const db = await this.deps.database.getClient();
    await ensureMarksTable(db);
    const stored = await this.markOf(db);
    const rows: CompletionRow[] = await db('task_events')
      .join('tasks', 'tasks.id', 'task_events.task_id')
      .where('task_events.event_type', 'completion')
      .andWhere('task_events.id', '>', stored)
      .orderBy('task_events.id')
      .limit(BATCH)
      .select(
        'task_events.id',
        'task_events.task_id',
        'task_events.body',
        'tasks.status',
        'tasks.created_by',
        'tasks.spec',
      );
    let mark = stored;
    let told = 0;
    for (const row of rows) {
      if (row.status === 'failed' && row.created_by) {
        if (!(await this.tell(row, row.created_by))) {
          // the notifications backend is away: this one and the rest wait for the next run
          break;
        }
        told += 1;
      }
      mark = Number(row.id);
    }
    await db(MARKS_TABLE).where({ name: MARK }).update({ value: mark });
    return told;
  }

  private async markOf(db: Knex): Promise<number> {
    const stored = await db(MARKS_TABLE).where({ name: MARK }).first('value');
    if (stored) {
      return Number(stored.value);
    }
    const latest = (await db.schema.hasTable('task_events'))
      ? await db('task_events').max({ id: 'id' }).first()
      : undefined;
    await db(MARKS_TABLE)
      .insert({ name: MARK, value: Number(latest?.id ?? 0) })
      .onConflict('name')
      .ignore();
    // another replica may have set it first
    const set = await db(MARKS_TABLE).where({ name: MARK }).first('value');
    return Number(set.value);
  }

  private tell(row: CompletionRow, user: string): Promise<boolean> {
    const spec = parse(row.spec);
    const template =
      field(spec, 'templateInfo', 'entity', 'metadata', 'title') ??
      field(spec, 'templateInfo', 'entity', 'metadata', 'name') ??
      'A template';
    const error = (
      field(parse(row.body), 'error', 'message') ?? 'see the task for why'
    ).replace(/[.\s]+$/, '');
    return sendNotification(this.deps, `task ${row.task_id} failed`, {
      recipients: { type: 'entity', entityRef: user },
      payload: {
        title: `Task failed: ${template}`,
        description: `${template} failed: ${error}. The task page shows each step's log, and Retry where it can help.`,
        link: `/create/tasks/${encodeURIComponent(row.task_id)}`,
        severity: 'high',
        topic: PORTAL_TOPIC,
        // a task retried and failing again updates its notification
        scope: `paved-road:task:${row.task_id}`,
      },
    });
  }
}

/** Runs `FailedTaskNotices` every 30 seconds on one replica at a time. */
export async function scheduleFailedTaskNotices(deps: {
  scheduler: SchedulerService;
  database: DatabaseService;
  notifications: NotificationService;
  logger: LoggerService;
}): Promise<void> {
  const notices = FailedTaskNotices.create(deps);
  await notices.prepare().catch(error =>
    // the first run sets the mark instead
    deps.logger.warn(
      `Could not set where failed-task notifications start: ${error}`,
    ),
  );
  await deps.scheduler.scheduleTask({
    id: 'paved-road-failed-task-notices',
    scope: 'global',
    frequency: { seconds: 30 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 20 },
    fn: async () => {
      const told = await notices.run();
      if (told > 0) {
        deps.logger.info(`Told ${told} users that a task they started failed`);
      }
    },
  });
}
