// Structured logs: one JSON object per line on stdout, which the cluster's log shipper parses.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export type Logger = {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line, e.g. a request id. */
  child(fields: LogFields): Logger;
};

export type LoggerOptions = {
  service: string;
  level?: LogLevel;
  /** Receives one line without its newline; stdout by default. */
  write?: (line: string) => void;
  now?: () => Date;
};

const RESERVED_KEYS = new Set(['time', 'level', 'msg', 'service']);

// A safety net only: request handlers log chosen fields, never whole headers or bodies.
const REDACTED_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'secret',
  'token',
]);

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function replacer(key: string, value: unknown): unknown {
  if (REDACTED_KEYS.has(key.toLowerCase())) {
    return '[REDACTED]';
  }
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  return value;
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write =
    options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const make = (bound: LogFields): Logger => {
    const log = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (LOG_LEVELS.indexOf(level) < threshold) {
        return;
      }
      const entry: LogFields = {
        time: now().toISOString(),
        level,
        msg,
        service: options.service,
      };
      for (const source of [bound, fields ?? {}]) {
        for (const [key, value] of Object.entries(source)) {
          if (!RESERVED_KEYS.has(key)) {
            entry[key] = value;
          }
        }
      }
      let line: string;
      try {
        line = JSON.stringify(entry, replacer);
      } catch (error) {
        // A circular field must not turn a log call into a crash.
        line = JSON.stringify({
          time: entry.time,
          level,
          msg,
          service: options.service,
          logError: `fields not serializable: ${String(error)}`,
        });
      }
      write(line);
    };
    return {
      debug: (msg, fields) => log('debug', msg, fields),
      info: (msg, fields) => log('info', msg, fields),
      warn: (msg, fields) => log('warn', msg, fields),
      error: (msg, fields) => log('error', msg, fields),
      child: fields => make({ ...bound, ...fields }),
    };
  };

  return make({});
}
