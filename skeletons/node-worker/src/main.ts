// Background worker from the Paved Road golden path.
//
// Entry point: reads the configuration from the environment (see config.ts), consumes the
// queue with handleMessage (handler.ts), serves /healthz, /readyz and /metrics on PORT, logs
// JSON lines to stdout, and on SIGTERM stops receiving, finishes the messages in flight and
// exits 0.
//
//   npm start    run the worker (node src/main.ts; Node 22.18+ runs TypeScript directly)
//   npm test     run the unit tests (node:test)
import { createApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { handleMessage } from './handler.ts';
import { onFatalErrors, onShutdownSignals } from './lifecycle.ts';
import { createLogger } from './logger.ts';
import { InMemoryQueue } from './queue.ts';
import { SERVICE_NAME } from './service.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  createLogger({ service: SERVICE_NAME }).error('invalid configuration', {
    err: error,
  });
  process.exit(1);
}

const logger = createLogger({ service: SERVICE_NAME, level: config.logLevel });
onFatalErrors(logger);

// Replace with the real queue (see queue.ts), built from configuration such as QUEUE_URL.
const queue = new InMemoryQueue();
logger.warn(
  'using the in-memory queue: it starts empty and loses messages on exit',
);

const app = createApp({
  logger,
  queue,
  handler: handleMessage,
  concurrency: config.concurrency,
});

onShutdownSignals({
  logger,
  timeoutMs: config.shutdownTimeoutMs,
  shutdown: () => app.stop(),
});

await app.start(config.port);
