import { randomUUID } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createEventEmitAction } from '../actions/eventEmit';
import { createEventSink } from './eventSinks';
import { readPavedRoadConfig } from '../config';
import { createTestContext, testDiscovery } from '../__testUtils__/harness';
import { startEventServer } from '../__testUtils__/eventServer';
import { TaskDowntime } from './taskDowntime';

// The scaffolder's own task tables (its migrations), with the timeline a restart and a
// retry leave in them, on SQLite and PostgreSQL.

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
type Knex = Awaited<ReturnType<typeof databases.init>>;

const MIGRATIONS = resolvePackagePath(
  '@backstage/plugin-scaffolder-backend',
  'migrations',
);

async function scaffolderStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: MIGRATIONS });
  return knex;
}

/** A time as the store's defaults write it: UTC text on SQLite, a timestamp elsewhere. */
function stored(knex: Knex, date: Date): Date | string {
  return knex.client.config.client.includes('sqlite')
    ? date.toISOString().replace('T', ' ').slice(0, 19)
    : date;
}

/** A task created at `start` with events at the given offsets (seconds) from it. */
async function task(
  knex: Knex,
  start: Date,
  events: Array<[type: string, offsetSeconds: number]>,
): Promise<string> {
  const id = randomUUID();
  await knex('tasks').insert({
    id,
    spec: JSON.stringify({ steps: [] }),
    status: 'processing',
    created_at: stored(knex, start),
  });
  for (const [type, offset] of events) {
    await knex('task_events').insert({
      task_id: id,
      event_type: type,
      body: JSON.stringify({ message: type }),
      created_at: stored(knex, new Date(start.getTime() + offset * 1000)),
    });
  }
  return id;
}

const database = (knex: Knex) =>
  mockServices.database.mock({ getClient: async () => knex });

describe.each(databases.eachSupportedId())('TaskDowntime on %p', databaseId => {
  it('counts the time from the last event before each recovery to the recovery', async () => {
    const knex = await scaffolderStore(databaseId);
    const start = new Date('2026-03-02T09:00:00Z');
    const id = await task(knex, start, [
      ['log', 1],
      ['log', 20],
      // the backend died after 20 s; it recovered the task 300 s later
      ['recovered', 320],
      ['log', 321],
      ['log', 330],
      // the step failed; someone retried 600 s later
      ['log', 335],
      ['recovered', 935],
      ['log', 940],
    ]);

    const downtime = TaskDowntime.create({ database: database(knex) });

    expect(await downtime.of(id)).toBe((300 + 600) * 1000);
  });

  it('says 0 for a task that never waited, and for one it does not know', async () => {
    const knex = await scaffolderStore(databaseId);
    const id = await task(knex, new Date('2026-03-02T09:00:00Z'), [
      ['log', 1],
      ['log', 5],
      ['completion', 9],
    ]);
    const downtime = TaskDowntime.create({ database: database(knex) });

    expect(await downtime.of(id)).toBe(0);
    expect(await downtime.of(randomUUID())).toBe(0);
  });

  it('leaves the downtime out of duration_ms in scaffold.completed', async () => {
    const knex = await scaffolderStore(databaseId);
    const server = await startEventServer();
    try {
      const start = new Date(Date.now() - 400_000);
      const id = await task(knex, start, [
        ['log', 1],
        ['log', 50],
        // down for 300 s
        ['recovered', 350],
        ['log', 351],
      ]);
      server.addTask(id, start);
      const discovery = testDiscovery(server);
      const auth = mockServices.auth();
      const action = createEventEmitAction({
        delivery: createEventSink(
          readPavedRoadConfig(
            new ConfigReader({
              pavedRoad: { events: { endpoint: `${server.url}/events` } },
            }),
          ).events,
          { discovery, auth },
        ),
        discovery,
        auth,
        downtime: TaskDowntime.create({ database: database(knex) }),
      });
      const { context } = createTestContext({
        input: { service: 'orders' },
        taskId: id,
      });

      await action.handler(context as any);

      const event = JSON.parse(server.events()[0].body);
      // about 100 s of running, not the 400 s since the task was created
      expect(event.duration_ms).toBeGreaterThanOrEqual(99_000);
      expect(event.duration_ms).toBeLessThan(110_000);
    } finally {
      await server.close();
    }
  });
});
