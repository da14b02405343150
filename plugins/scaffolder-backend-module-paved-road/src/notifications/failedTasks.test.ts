import { randomUUID } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { captureLogger } from '../__testUtils__/captureLogger';
import { FailedTaskNotices } from './failedTasks';

// The scaffolder's own task tables (its migrations), as a task that fails leaves them:
// its status `failed` and a `completion` event with the error, on SQLite and PostgreSQL.

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
type Knex = Awaited<ReturnType<typeof databases.init>>;

const MIGRATIONS = resolvePackagePath(
  '@backstage/plugin-scaffolder-backend',
  'migrations',
);
const JANE = 'user:default/jane.doe';

/** A task `createdBy` started, finished with `status` as the scaffolder records it. */
async function finishedTask(
  knex: Knex,
  createdBy: string | null,
  status: 'failed' | 'completed',
): Promise<string> {
  const id = randomUUID();
  await knex('tasks').insert({
    id,
    spec: JSON.stringify({
      steps: [],
      templateInfo: {
        entity: { metadata: { name: 'http-service', title: 'HTTP service' } },
      },
    }),
    status,
    created_by: createdBy,
  });
  await knex('task_events').insert({
    task_id: id,
    event_type: 'completion',
    body: JSON.stringify({
      message: `Run completed with status: ${status}`,
      ...(status === 'failed' && {
        error: {
          name: 'ConflictError',
          message: "A repository named 'orders-api' already exists",
        },
      }),
    }),
  });
  return id;
}

/** The notifications backend as this module sees it, keeping what it is asked to send. */
function notifications(sent: NotificationSendOptions[], down = false) {
  const service: NotificationService = {
    async send(options) {
      if (down) {
        throw new Error(
          'Failed to send notifications: Error: Request failed with status 503',
        );
      }
      sent.push(options);
    },
  };
  return service;
}

describe.each(databases.eachSupportedId())('FailedTaskNotices on %p', id => {
  async function replica(
    knex: Knex,
    sent: NotificationSendOptions[],
    down = false,
  ) {
    const { logger, lines } = captureLogger();
    const notices = FailedTaskNotices.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
      notifications: notifications(sent, down),
      logger,
    });
    return { notices, lines };
  }

  it('tells whoever started a task that it failed, once, with a link to the task; older failures are not told', async () => {
    const knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS });
    const sent: NotificationSendOptions[] = [];
    await finishedTask(knex, JANE, 'failed');

    const first = await replica(knex, sent);
    const second = await replica(knex, sent);
    expect(await first.notices.run()).toBe(0);

    const failed = await finishedTask(knex, JANE, 'failed');
    await finishedTask(knex, JANE, 'completed');
    await finishedTask(knex, null, 'failed');
    // two replicas, one after the other as the global schedule runs them
    expect(await second.notices.run()).toBe(1);
    expect(await first.notices.run()).toBe(0);

    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: JANE },
        payload: expect.objectContaining({
          title: 'Task failed: HTTP service',
          link: `/create/tasks/${failed}`,
          severity: 'high',
          scope: `paved-road:task:${failed}`,
        }),
      },
    ]);
    expect(sent[0].payload.description).toContain(
      "A repository named 'orders-api' already exists",
    );
  });

  it('keeps its place while the notifications backend is down and tells the failure once it is back', async () => {
    const knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS });
    const sent: NotificationSendOptions[] = [];
    const down = await replica(knex, sent, true);
    await down.notices.run();
    const failed = await finishedTask(knex, JANE, 'failed');

    expect(await down.notices.run()).toBe(0);
    expect(down.lines).toContainEqual(
      expect.stringContaining(
        `warn Could not send the notification of task ${failed} failed: Failed to send notifications`,
      ),
    );
    const up = await replica(knex, sent);
    expect(await up.notices.run()).toBe(1);
    expect(await up.notices.run()).toBe(0);
    expect(sent.map(s => s.payload.link)).toEqual([`/create/tasks/${failed}`]);
  });

  it('prepared on a fresh database, before the scaffolder has migrated, tells the first failure', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    const { notices } = await replica(knex, sent);
    await notices.prepare();
    await knex.migrate.latest({ directory: MIGRATIONS });
    const failed = await finishedTask(knex, JANE, 'failed');

    expect(await notices.run()).toBe(1);
    expect(sent.map(s => s.payload.scope)).toEqual([
      `paved-road:task:${failed}`,
    ]);
  });
});
