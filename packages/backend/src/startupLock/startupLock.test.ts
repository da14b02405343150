import { mockServices } from '@backstage/backend-test-utils';
import { Client } from 'pg';
// the local PostgreSQL the integration tests use (scripts/artifact, in no package)
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { createDatabase, PG } from '../../../../scripts/artifact/production';
import { acquireStartupLock, STARTUP_LOCK_KEY } from './startupLock';

// On the machine's PostgreSQL (127.0.0.1:5432, PORTAL_TEST_PG_* move it), in a fresh
// database: advisory locks belong to a database, so a portal starting meanwhile on
// another one is not held up.

jest.setTimeout(60_000);

describe('acquireStartupLock', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>;
  let connection: typeof PG & { database: string };

  beforeAll(async () => {
    database = await createDatabase('portal_startup_lock');
    connection = { ...PG, database: database.name };
  });

  afterAll(() => database.drop());

  it('lets one replica start at a time, the next when the first has started', async () => {
    const logger = mockServices.logger.mock();
    const first = await acquireStartupLock({ connection, logger });
    expect(logger.info).not.toHaveBeenCalled();

    let secondHolds = false;
    const second = acquireStartupLock({ connection, logger, pollMs: 100 }).then(
      lock => {
        secondHolds = true;
        return lock;
      },
    );
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(secondHolds).toBe(false);
    expect(logger.info).toHaveBeenCalledWith(
      'Another replica is starting (and migrating the database); waiting for it',
    );

    await first.release();
    const lock = await second;
    expect(secondHolds).toBe(true);
    await lock.release();
    await lock.release(); // a second release does nothing
  });

  it("does not hold up the holder's CREATE INDEX CONCURRENTLY while it waits", async () => {
    const logger = mockServices.logger.mock();
    const holder = await acquireStartupLock({ connection, logger });
    const waiting = acquireStartupLock({ connection, logger, pollMs: 100 });
    await new Promise(resolve => setTimeout(resolve, 300));

    // what the catalog's migrations do on the replica that holds the lock
    await database.query('CREATE TABLE entities (id int)');
    const client = new Client(connection);
    await client.connect();
    try {
      await client.query("SET statement_timeout = '5s'");
      // fails after 5 s if a waiting replica's session holds it up
      await expect(
        client.query('CREATE INDEX CONCURRENTLY entities_id ON entities (id)'),
      ).resolves.toMatchObject({ command: 'CREATE' });
    } finally {
      await client.end();
    }

    await holder.release();
    await (await waiting).release();
  });

  it('is given up when the holder dies without releasing it', async () => {
    const logger = mockServices.logger.mock();
    await acquireStartupLock({ connection, logger });
    const next = acquireStartupLock({ connection, logger, pollMs: 100 });

    // the holder's session ends, as when its process is killed
    const rows = await database.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
        WHERE locktype = 'advisory' AND objid = $1 AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [STARTUP_LOCK_KEY],
    );
    expect(rows).toHaveLength(1);
    const lock = await next;
    await lock.release();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/^Startup lock connection lost: /),
    );
  });
});
