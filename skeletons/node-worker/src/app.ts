// The worker and its operational HTTP server, started and stopped in the right order.
import { createHttpServer } from './http.ts';
import type { Logger } from './logger.ts';
import { Registry, registerProcessMetrics } from './metrics.ts';
import type { Queue } from './queue.ts';
import { createWorker, type MessageHandler } from './worker.ts';

export type AppOptions = {
  logger: Logger;
  queue: Queue;
  handler: MessageHandler;
  concurrency?: number;
};

export type App = {
  /** Serves /healthz, /readyz and /metrics on `port`, starts consuming, resolves with the port. */
  start(port: number): Promise<number>;
  /** Not ready at once; stops receiving; waits for the messages in flight; closes the server. */
  stop(): Promise<void>;
};

export function createApp(options: AppOptions): App {
  const { logger } = options;
  const registry = new Registry();
  registerProcessMetrics(registry);
  const worker = createWorker({
    queue: options.queue,
    handler: options.handler,
    logger,
    registry,
    concurrency: options.concurrency,
  });
  const ops = createHttpServer({ logger, registry });

  return {
    async start(port) {
      const boundPort = await ops.listen(port);
      logger.info('listening', { port: boundPort });
      worker.start();
      ops.setReady(true);
      logger.info('ready');
      return boundPort;
    },
    async stop() {
      ops.setReady(false);
      await worker.stop();
      // Last, so probes and scrapes keep answering while messages finish.
      await ops.close();
    },
  };
}
