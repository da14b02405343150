// HTTP service from the Paved Road golden path.
//
// Entry point: reads the configuration from the environment (see config.ts), serves the
// routes of routes.ts next to /healthz, /readyz and /metrics on PORT, logs JSON lines to
// stdout, and on SIGTERM drains in-flight requests before exiting 0.
//
//   npm start    run the service (node src/main.ts; Node 22.18+ runs TypeScript directly)
//   npm test     run the unit tests (node:test)
import { loadConfig, type Config } from './config.ts';
import { createHttpServer } from './http.ts';
import { onFatalErrors, onShutdownSignals } from './lifecycle.ts';
import { createLogger } from './logger.ts';
import { Registry, registerProcessMetrics } from './metrics.ts';
import { createRoutes } from './routes.ts';
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

const registry = new Registry();
registerProcessMetrics(registry);
const http = createHttpServer({ logger, registry, routes: createRoutes() });

onShutdownSignals({
  logger,
  timeoutMs: config.shutdownTimeoutMs,
  // Ctrl-C has no load balancer to drain, so only SIGTERM waits.
  shutdown: signal =>
    http.close({
      drainDelayMs: signal === 'SIGTERM' ? config.shutdownDelayMs : 0,
    }),
});

const port = await http.listen(config.port);
logger.info('listening', { port });

// Open connections to databases and other dependencies here: /healthz already answers,
// and /readyz reports 503 until the line below.
http.setReady(true);
logger.info('ready');
