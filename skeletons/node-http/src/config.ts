import { isLogLevel, type LogLevel } from './logger.ts';

export type Config = {
  /** `PORT`, 8080 by default. */
  port: number;
  /** `LOG_LEVEL`: debug, info (the default), warn or error. */
  logLevel: LogLevel;
  /**
   * `SHUTDOWN_DELAY_MS`, 5000 by default: after SIGTERM, how long to keep serving while
   * readiness reports 503, so Kubernetes removes the pod from its Service's endpoints
   * before the listener closes.
   */
  shutdownDelayMs: number;
  /**
   * `SHUTDOWN_TIMEOUT_MS`, 25000 by default: the exit deadline after a signal, delay
   * included; keep it below the pod's terminationGracePeriodSeconds (30 s by default).
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
  const config = {
    port: integer(env, 'PORT', 8080, 0, 65535),
    logLevel,
    shutdownDelayMs: integer(env, 'SHUTDOWN_DELAY_MS', 5000, 0, 60_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 25000, 0, 600_000),
  };
  if (config.shutdownDelayMs >= config.shutdownTimeoutMs) {
    throw new Error(
      'SHUTDOWN_DELAY_MS must be shorter than SHUTDOWN_TIMEOUT_MS, or no request could finish',
    );
  }
  return config;
}
