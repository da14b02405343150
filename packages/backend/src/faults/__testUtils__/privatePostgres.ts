import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../integration/__testUtils__/runBackend';

const run = promisify(execFile);

/** Where Debian's PostgreSQL 15 keeps initdb and pg_ctl; PORTAL_TEST_PG_BIN moves it. */
const BIN = process.env.PORTAL_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of the suite's own, in a temporary directory on a free port
 * (127.0.0.1 only, trust authentication), so it can be stopped and started without
 * disturbing anything else on the machine.
 */
export interface PrivatePostgres {
  port: number;
  /** A connection string for `database`, as the backend's config takes one. */
  url(database: string): string;
  query<T>(database: string, sql: string, values?: unknown[]): Promise<T[]>;
  /** `pg_ctl stop -m fast`: clients are disconnected, the server is gone. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it if it runs and removes its directory. */
  destroy(): Promise<void>;
}

// PostgreSQL refuses to run as root; the tests run as root in CI, so the server runs as
// the postgres user, which owns its directory.
function serverUser(): { prefix: string[]; uid: number; gid: number } {
  const uid = process.getuid?.();
  const postgresId = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  if (uid === 0) {
    return {
      prefix: ['runuser', '-u', 'postgres', '--'],
      uid: postgresId('-u'),
      gid: postgresId('-g'),
    };
  }
  if (os.userInfo().username === 'postgres') {
    return { prefix: [], uid: uid!, gid: process.getgid!() };
  }
  throw new Error(
    `The fault suite runs a PostgreSQL server of its own, which must run as the postgres user: run the suite as root (it then uses runuser -u postgres) or as postgres, not as ${
      os.userInfo().username
    }`,
  );
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!fs.existsSync(path.join(BIN, 'pg_ctl'))) {
    throw new Error(
      `No pg_ctl in ${BIN}: the fault suite needs PostgreSQL's server binaries (apt-get install postgresql-15, or set PORTAL_TEST_PG_BIN)`,
    );
  }
  const user = serverUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-faults-pg-'));
  fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const pg = async (command: string, ...args: string[]) => {
    const [file, ...rest] = [...user.prefix, path.join(BIN, command), ...args];
    await run(file, rest, { cwd: dir });
  };

  await pg(
    'initdb',
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  );
  const options = [
    '-c listen_addresses=127.0.0.1',
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    // two backends open a pool per plugin each
    '-c max_connections=300',
    // a test server: durability is not what is tested
    '-c fsync=off',
  ].join(' ');
  const start = () =>
    pg(
      'pg_ctl',
      '-D',
      data,
      '-l',
      path.join(dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    );
  let running = false;
  const server: PrivatePostgres = {
    port,
    url: database => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async query<T>(database: string, sql: string, values?: unknown[]) {
      const client = new Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database,
      });
      await client.connect();
      try {
        return (await client.query(sql, values)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async stop() {
      await pg('pg_ctl', '-D', data, '-m', 'fast', '-w', 'stop');
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) {
        await pg('pg_ctl', '-D', data, '-m', 'immediate', '-w', 'stop').catch(
          () => undefined,
        );
        running = false;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (error) {
    const log = fs.existsSync(path.join(dir, 'server.log'))
      ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8')
      : '';
    await server.destroy();
    throw new Error(`The private PostgreSQL did not start: ${error}\n${log}`);
  }
  return server;
}

/** The embedded defaults' database settings moved to `database` on `server`. */
export function onPostgres(
  server: PrivatePostgres,
  database: string,
): Record<string, string> {
  return {
    APP_CONFIG_backend_database_client: 'pg',
    // a string replaces app-config.yaml's connection object (SQLite's directory) whole
    APP_CONFIG_backend_database_connection: server.url(database),
    // one database, one schema per plugin, as in production
    APP_CONFIG_backend_database_pluginDivisionMode: 'schema',
  };
}
