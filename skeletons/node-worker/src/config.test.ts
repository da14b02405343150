import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    assert.deepEqual(loadConfig({}), {
      port: 8080,
      logLevel: 'info',
      concurrency: 1,
      shutdownTimeoutMs: 25000,
    });
  });

  it('reads the environment', () => {
    assert.deepEqual(
      loadConfig({
        PORT: '9000',
        LOG_LEVEL: 'warn',
        WORKER_CONCURRENCY: '4',
        SHUTDOWN_TIMEOUT_MS: '5000',
      }),
      { port: 9000, logLevel: 'warn', concurrency: 4, shutdownTimeoutMs: 5000 },
    );
  });

  it('refuses values it cannot use', () => {
    assert.throws(
      () => loadConfig({ PORT: '8080x' }),
      /PORT must be an integer/,
    );
    assert.throws(
      () => loadConfig({ WORKER_CONCURRENCY: '0' }),
      /WORKER_CONCURRENCY/,
    );
    assert.throws(
      () => loadConfig({ WORKER_CONCURRENCY: '1.5' }),
      /WORKER_CONCURRENCY/,
    );
    assert.throws(() => loadConfig({ LOG_LEVEL: 'trace' }), /LOG_LEVEL/);
  });
});
