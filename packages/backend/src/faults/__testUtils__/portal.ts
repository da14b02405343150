import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  eventually,
  RunningBackend,
  startBackend,
} from '../../integration/__testUtils__/runBackend';

/** The embedded defaults, as `./portal start` runs them. */
export const EMBEDDED = ['../../app-config.yaml'];

/** How long a backend may take to answer readiness on a busy two-core machine. */
export const START_TIMEOUT_MS = 240_000;

// V8's compiled code kept between the suite's many backend starts (and runs): a restart
// after a SIGKILL reads it instead of compiling every module again.
const COMPILE_CACHE = path.join(os.tmpdir(), 'portal-fault-suite-node-cache');

/** The environment of a backend on the embedded defaults, on its own port and data. */
export function embeddedEnv(
  port: number,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const baseUrl = `http://localhost:${port}`;
  return {
    NODE_ENV: 'development',
    NODE_COMPILE_CACHE: COMPILE_CACHE,
    PORTAL_DATA_DIR: dataDir,
    APP_CONFIG_app_baseUrl: baseUrl,
    APP_CONFIG_backend_baseUrl: baseUrl,
    APP_CONFIG_backend_listen_port: String(port),
    ...extra,
  };
}

/** Starts a backend on the embedded defaults with `env` (see {@link embeddedEnv}). */
export function startEmbedded(
  port: number,
  env: Record<string, string>,
): Promise<RunningBackend> {
  return startBackend({
    port,
    configs: EMBEDDED,
    timeoutMs: START_TIMEOUT_MS,
    env,
  });
}

export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh?env=development`);
  if (!res.ok) {
    throw new Error(
      `guest sign-in answered ${res.status}: ${await res.text()}`,
    );
  }
  const session = (await res.json()) as {
    backstageIdentity: { token: string };
  };
  return session.backstageIdentity.token;
}

export type Answer<T> = {
  status: number;
  retryAfter?: string;
  body: T;
  /** Milliseconds from sending the request to having read the whole answer. */
  ms: number;
};

/** Calls `/api/<route>` as the bearer of `token`; the body is JSON, or text when it is not. */
export async function call<T = unknown>(
  baseUrl: string,
  token: string,
  route: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer<T>> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/api/${route}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text, for the failure message
  }
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after') ?? undefined,
    body: body as T,
    ms: performance.now() - started,
  };
}

/** Waits until the catalog lists `kind:name` (its default namespace). */
export function entityListed(
  baseUrl: string,
  token: string,
  kind: string,
  name: string,
  timeoutMs = 120_000,
): Promise<true> {
  return eventually(
    async () => {
      const { body } = await call<{ items: unknown[] }>(
        baseUrl,
        token,
        `catalog/entities/by-query?filter=kind=${kind},metadata.name=${name}`,
      );
      return body.items?.length === 1 ? (true as const) : undefined;
    },
    timeoutMs,
    `${kind}:${name} in the catalog`,
  );
}

/** The resident set size of a process in kB (VmRSS of /proc/<pid>/status). */
export function residentKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) {
    throw new Error(`no VmRSS in /proc/${pid}/status`);
  }
  return Number(match[1]);
}

export type Sample<T> = {
  /** When the probe was sent (Date.now()). */
  at: number;
  ms: number;
  value?: T;
  error?: string;
};

/**
 * Calls `probe` every `intervalMs` whether or not the previous call has answered, so a
 * slow answer cannot hide the ones that would have followed it; `stop` waits for those in
 * flight and returns every sample in the order they were started.
 */
export function pollEvery<T>(
  intervalMs: number,
  probe: () => Promise<T>,
): { samples: Sample<T>[]; stop(): Promise<Sample<T>[]> } {
  const samples: Sample<T>[] = [];
  const inFlight = new Set<Promise<void>>();
  const tick = () => {
    const sample: Sample<T> = { at: Date.now(), ms: NaN };
    samples.push(sample);
    const started = performance.now();
    const done = probe()
      .then(
        value => {
          sample.value = value;
        },
        error => {
          sample.error = String(error);
        },
      )
      .finally(() => {
        sample.ms = performance.now() - started;
        inFlight.delete(done);
      });
    inFlight.add(done);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return samples;
    },
  };
}

/** Readiness as a status code, within `timeoutMs` (an error past it). */
export async function readiness(
  baseUrl: string,
  timeoutMs = 5_000,
): Promise<number> {
  const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  return res.status;
}

/** The slowest sample, to print. */
export function slowest<T>(samples: Sample<T>[]): Sample<T> | undefined {
  return samples.reduce<Sample<T> | undefined>(
    (worst, s) => (!worst || s.ms > worst.ms ? s : worst),
    undefined,
  );
}

/** Prints one line of the suite's figures, so a passing run shows them too. */
export function report(scenario: string, figures: Record<string, unknown>) {
  const text = Object.entries(figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  process.stdout.write(`[fault-suite] ${scenario}: ${text}\n`);
}
