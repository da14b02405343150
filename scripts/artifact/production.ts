// What a production start of the portal needs on this host, for the tests and the
// benchmark that start one from the artifact: the variables app-config.production.yaml
// requires, a fresh PostgreSQL database, and backend processes to read, stop or kill.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Artifact, artifactCommand } from './artifact';

/** The local PostgreSQL the tests use; PORTAL_TEST_PG_* move it. */
export const PG = {
  host: process.env.PORTAL_TEST_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.PORTAL_TEST_PG_PORT ?? 5432),
  user: process.env.PORTAL_TEST_PG_USER ?? 'postgres',
  password: process.env.PORTAL_TEST_PG_PASSWORD ?? 'postgres',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Every variable app-config.production.yaml requires. `baseUrl` is where people reach
 * the portal (a load balancer in front of several replicas), `port` where this
 * process listens.
 */
export function productionEnv(options: {
  port: number;
  database: string;
  ciToken: string;
  gateToken?: string;
  metricsToken?: string;
  baseUrl?: string;
  backendSecret?: string;
}): Record<string, string> {
  const baseUrl = options.baseUrl ?? `http://localhost:${options.port}`;
  return {
    NODE_ENV: 'production',
    PORTAL_BASE_URL: baseUrl,
    PORTAL_PORT: String(options.port),
    BACKEND_SECRET: options.backendSecret ?? randomBytes(24).toString('base64'),
    CI_CATALOG_READ_TOKEN: options.ciToken,
    DEPLOY_GATE_TOKEN:
      options.gateToken ?? randomBytes(24).toString('base64url'),
    INSIGHTS_METRICS_TOKEN:
      options.metricsToken ?? randomBytes(24).toString('base64url'),
    POSTGRES_HOST: PG.host,
    POSTGRES_PORT: String(PG.port),
    POSTGRES_USER: PG.user,
    POSTGRES_PASSWORD: PG.password,
    POSTGRES_DB: options.database,
    OKTA_CLIENT_ID: '0oa-portal-test',
    OKTA_CLIENT_SECRET: randomBytes(16).toString('hex'),
    OKTA_AUDIENCE: 'https://portal-test.okta.example.com',
    OKTA_ALLOWED_EMAIL_DOMAINS: 'example.com',
    AUTH_GITHUB_CLIENT_ID: 'Iv1.portaltest',
    AUTH_GITHUB_CLIENT_SECRET: randomBytes(20).toString('hex'),
  };
}

async function admin<T>(
  database: string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ ...PG, database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database with a random name; `drop` removes it, connections and all. */
export async function createDatabase(prefix: string): Promise<{
  name: string;
  query<T>(sql: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}> {
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin('postgres', c => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    query: (sql, values) =>
      admin(name, async c => (await c.query(sql, values)).rows),
    drop: () =>
      admin('postgres', c =>
        c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}

/** A line the backend wrote: its JSON log object, or the raw text when it is not one. */
export type LogLine =
  | { json: Record<string, unknown>; text: string }
  | { json?: undefined; text: string };

export interface BackendProcess {
  name: string;
  baseUrl: string;
  pid: number;
  /** Where its output goes. */
  logFile: string;
  lines(): LogLine[];
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, as far as the other replicas can tell. */
  kill(): Promise<void>;
}

function parseLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter(line => line.trim())
    .map(line => {
      try {
        const json = JSON.parse(line);
        return json && typeof json === 'object'
          ? { json, text: line }
          : { text: line };
      } catch {
        return { text: line };
      }
    });
}

/**
 * Starts the image's CMD from the artifact with `env` only (and PATH, HOME); `configs`
 * are layered last, as the Deployment's args add app-config.kubernetes.yaml. Its output
 * goes straight to `logFile` (default: a new file in the temporary directory), as a
 * container's goes to its runtime: reading it costs the measured machine nothing until
 * lines() or output() is called.
 */
export function spawnArtifact(
  artifact: Artifact,
  options: {
    name: string;
    port: number;
    env: Record<string, string>;
    configs?: string[];
    logFile?: string;
  },
): BackendProcess {
  const start = artifactCommand(artifact);
  const configs = (options.configs ?? []).flatMap(file => ['--config', file]);
  const logFile =
    options.logFile ??
    path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'portal-backend-')),
      'output.log',
    );
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(start.command, [...start.args, ...configs], {
    cwd: start.cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...start.env,
      ...options.env,
    },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  const exited = new Promise<number | string>(resolve =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const output = () => fs.readFileSync(logFile, 'utf8');
  return {
    name: options.name,
    baseUrl: `http://localhost:${options.port}`,
    pid: child.pid!,
    logFile,
    lines: () => parseLines(output()),
    output,
    exited,
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
    },
    async kill() {
      if (running()) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Resolves once readiness answers 200; fails with the output if it exits first. */
export async function waitUntilReady(
  backend: BackendProcess,
  timeoutMs: number,
): Promise<BackendProcess> {
  let exit: number | string | undefined;
  backend.exited.then(code => (exit = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit !== undefined) {
      throw new Error(
        `${backend.name} exited with ${exit}:\n${backend
          .output()
          .slice(-8000)}`,
      );
    }
    try {
      const res = await fetch(
        `${backend.baseUrl}/.backstage/health/v1/readiness`,
      );
      if (res.ok) {
        return backend;
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  await backend.stop();
  throw new Error(
    `${backend.name} not ready within ${timeoutMs} ms:\n${backend
      .output()
      .slice(-8000)}`,
  );
}
