import {
  AuditorService,
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

function describeMeta(meta: unknown): unknown {
  if (meta instanceof Error) {
    return { name: meta.name, message: meta.message, stack: meta.stack };
  }
  return meta;
}

/**
 * Service factories for a test backend that keep everything its plugins log (the root
 * logger and every plugin logger, task logs included) and every audit event (with the
 * request body and the error of a failure), as text.
 */
export function captureServices() {
  const logs: string[] = [];
  const audits: string[] = [];

  const logger = (fields: JsonObject): LoggerService => {
    const write = (level: string) => (message: string, meta?: unknown) => {
      logs.push(
        JSON.stringify({ level, message, meta: describeMeta(meta), fields }),
      );
    };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: more => logger({ ...fields, ...(more as JsonObject) }),
    };
  };
  const rootLogger = logger({});

  const auditor = (plugin: string): AuditorService => ({
    async createEvent(options) {
      const { request, ...rest } = options;
      audits.push(
        JSON.stringify({ plugin, ...rest, body: request?.body ?? null }),
      );
      return {
        async success(result) {
          audits.push(JSON.stringify({ plugin, success: result ?? {} }));
        },
        async fail(result) {
          audits.push(
            JSON.stringify({
              plugin,
              fail: result.meta ?? {},
              error: describeMeta(result.error),
            }),
          );
        },
      };
    },
  });

  return {
    logs,
    audits,
    factories: [
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => rootLogger,
      }),
      createServiceFactory({
        service: coreServices.logger,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) => rootLogger.child({ plugin: plugin.getId() }),
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) => auditor(plugin.getId()),
      }),
    ],
  };
}
