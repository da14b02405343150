import { LoggerService } from '@backstage/backend-plugin-api';

/** A logger that keeps every line, meta included, as text. */
export function captureLogger(): { logger: LoggerService; lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (message: string, meta?: Error | object) => {
    let extra = '';
    if (meta instanceof Error) {
      extra = ` ${meta.name}: ${meta.message}`;
    } else if (meta) {
      extra = ` ${JSON.stringify(meta)}`;
    }
    lines.push(`${level} ${message}${extra}`);
  };
  const logger: LoggerService = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: () => logger,
  };
  return { logger, lines };
}
