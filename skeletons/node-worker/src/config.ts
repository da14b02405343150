import { isLogLevel, type LogLevel } from './logger.ts';

export type Config = {
  /** `PORT`, 8080 by default: /healthz, /readyz and /metrics. */
  port: number;
  /** `LOG_LEVEL`: debug, info (the default), warn or error. */
  logLevel: LogLevel;
  /** `WORKER_CONCURRENCY`, 1 by default: messages handled at the same time. */
  concurrency: number;
  /**
   * `SHUTDOWN_TIMEOUT_MS`, 25000 by default: the exit deadline after a signal, so also the
   * longest a message being handled can take to finish; keep it below the pod's
   * terminationGracePeriodSeconds (30 s by default).
   */
  shutdownTimeoutMs: number;
};

function integer(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(
      `${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!isLogLevel(logLevel)) {
    throw new Error(
      `LOG_LEVEL must be debug, info, warn or error, got "${logLevel}"`,
    );
  }
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    logLevel,
    concurrency: integer(env, 'WORKER_CONCURRENCY', 1, 1, 100),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 25000, 0, 600_000),
  };
}
