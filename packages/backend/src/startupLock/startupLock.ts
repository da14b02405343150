import { Client, ClientConfig } from 'pg';
import { LoggerService } from '@backstage/backend-plugin-api';

/** The advisory lock's key, the same for every replica of the portal on one database. */
export const STARTUP_LOCK_KEY = 7_237_001;

export interface StartupLock {
  /** Gives the lock up; the second and later calls do nothing. */
  release(): Promise<void>;
}

/**
 * Waits for, then holds, a PostgreSQL session advisory lock that one starting replica
 * holds at a time. Each plugin creates and migrates its schema while it starts, and
 * knex's migration lock does not cover creating its own tables: two replicas starting
 * on an empty database fail with "relation knex_migrations already exists". Holding
 * this lock until the backend has started makes the first replica run every migration
 * while the others wait, then find nothing left to do. A replica that dies gives the
 * lock up with its connection.
 */
export async function acquireStartupLock(options: {
  connection: ClientConfig;
  logger: LoggerService;
  key?: number;
  pollMs?: number;
}): Promise<StartupLock> {
  const key = options.key ?? STARTUP_LOCK_KEY;
  const client = new Client({
    ...options.connection,
    application_name: 'backstage_startup_lock',
  });
  // a lost connection only means the lock is gone, which the database already knows
  client.on('error', error =>
    options.logger.warn(`Startup lock connection lost: ${error.message}`),
  );
  await client.connect();
  const tryLock = async () =>
    (
      await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [key],
      )
    ).rows[0].locked;
  try {
    if (!(await tryLock())) {
      options.logger.info(
        'Another replica is starting (and migrating the database); waiting for it',
      );
      const started = Date.now();
      // Asked again and again rather than waited for in pg_advisory_lock: a session
      // inside a statement holds a snapshot, which the other replica's CREATE INDEX
      // CONCURRENTLY (the catalog's migrations) would wait for, forever.
      while (!(await tryLock())) {
        await new Promise(resolve =>
          setTimeout(resolve, options.pollMs ?? 1000),
        );
      }
      options.logger.info(
        `The other replica has started, after ${
          Date.now() - started
        } ms; starting`,
      );
    }
  } catch (error) {
    await client.end();
    throw error;
  }
  let released = false;
  return {
    async release() {
      if (released) {
        return;
      }
      released = true;
      try {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      } finally {
        await client.end();
      }
    },
  };
}
