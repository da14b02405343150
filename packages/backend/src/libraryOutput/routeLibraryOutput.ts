import { format } from 'node:util';
import { LoggerService } from '@backstage/backend-plugin-api';

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const LEVELS: Record<ConsoleMethod, 'info' | 'warn' | 'error' | 'debug'> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
};

/**
 * Sends what libraries print by themselves through `logger`, so that production logs stay
 * one JSON object per line: knex's warnings (console), the config reader's deprecation
 * notices (console), and process warnings such as the pg driver's DeprecationWarning,
 * which Node would otherwise write to stderr as plain text. Returns how to undo it.
 */
/** Where Node's warnings are announced: the process. */
export type WarningEmitter = {
  listeners(event: 'warning'): Array<(warning: Error) => void>;
  removeAllListeners(event: 'warning'): unknown;
  on(event: 'warning', listener: (warning: Error) => void): unknown;
  off(event: 'warning', listener: (warning: Error) => void): unknown;
};

export function routeLibraryOutput(
  logger: LoggerService,
  target: { console: Console; process: WarningEmitter } = {
    console,
    process,
  },
): () => void {
  const originals = new Map<ConsoleMethod, Console[ConsoleMethod]>();
  // A logger transport that itself calls the console must not loop back here.
  let writing = false;
  const through =
    (method: ConsoleMethod, original: Console[ConsoleMethod]) =>
    (...args: unknown[]) => {
      if (writing) {
        original.apply(target.console, args);
        return;
      }
      writing = true;
      try {
        logger[LEVELS[method]](format(...args), { source: 'console' });
      } finally {
        writing = false;
      }
    };
  for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
    originals.set(method, target.console[method]);
    target.console[method] = through(method, target.console[method]);
  }

  // Node's own printer is a 'warning' listener; ours takes its place.
  const printers = target.process.listeners('warning');
  target.process.removeAllListeners('warning');
  const onWarning = (warning: Error & { code?: string }) =>
    logger.warn(`${warning.name}: ${warning.message}`, {
      source: 'process',
      ...(warning.code && { code: warning.code }),
    });
  target.process.on('warning', onWarning);

  return () => {
    for (const [method, original] of originals) {
      target.console[method] = original;
    }
    target.process.off('warning', onWarning);
    for (const printer of printers) {
      target.process.on('warning', printer);
    }
  };
}
