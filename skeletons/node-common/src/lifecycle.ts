import type { Logger } from './logger.ts';

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

type SignalSource = {
  on(event: ShutdownSignal, listener: () => void): unknown;
};

export type ShutdownOptions = {
  logger: Logger;
  /** Graceful shutdown: stop taking work and finish what is in flight. */
  shutdown: (signal: ShutdownSignal) => Promise<void>;
  /** After this long the process exits with code 1 even if `shutdown` has not finished. */
  timeoutMs: number;
  exit?: (code: number) => void;
  source?: SignalSource;
};

/**
 * Runs `shutdown` on the first SIGTERM (Kubernetes, docker stop) or SIGINT (Ctrl-C) and exits
 * 0 when it resolves; exits 1 if it fails, outlives `timeoutMs` or a second signal arrives.
 */
export function onShutdownSignals(options: ShutdownOptions): void {
  const { logger, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const source = options.source ?? process;
  let shuttingDown = false;

  const onSignal = (signal: ShutdownSignal) => {
    if (shuttingDown) {
      logger.warn('second signal, exiting now', { signal });
      exit(1);
      return;
    }
    shuttingDown = true;
    logger.info('shutting down', { signal, timeoutMs });
    const timer = setTimeout(() => {
      logger.error('shutdown timed out', { timeoutMs });
      exit(1);
    }, timeoutMs);
    Promise.resolve()
      .then(() => options.shutdown(signal))
      .then(
        () => {
          clearTimeout(timer);
          logger.info('stopped');
          exit(0);
        },
        error => {
          clearTimeout(timer);
          logger.error('shutdown failed', { err: error });
          exit(1);
        },
      );
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    source.on(signal, () => onSignal(signal));
  }
}

/** Logs crashes as JSON, like every other line, before exiting. */
export function onFatalErrors(logger: Logger): void {
  process.on('uncaughtException', error => {
    logger.error('uncaught exception', { err: error });
    process.exit(1);
  });
  process.on('unhandledRejection', reason => {
    logger.error('unhandled rejection', { err: reason });
    process.exit(1);
  });
}
