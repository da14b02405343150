import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * When a plugin fails to start, `backend.start()` rejects with a BackendStartupError
 * that Backstage only logs as an unhandled rejection: the process lives on, listening,
 * alive for a liveness probe and never ready. Exiting lets the orchestrator restart it
 * and lets a waiting replica take the startup lock. Other unhandled rejections keep
 * Backstage's behaviour (logged, the backend serves on).
 */
export function exitOnStartupFailure(
  logger: LoggerService,
  target: {
    on(
      event: 'unhandledRejection',
      listener: (reason: unknown) => void,
    ): unknown;
    exit(code: number): void;
  } = process,
): void {
  target.on('unhandledRejection', reason => {
    if ((reason as Error | undefined)?.name === 'BackendStartupError') {
      logger.error(
        'The backend could not start (see the errors above); exiting so that it is restarted',
      );
      target.exit(1);
    }
  });
}
