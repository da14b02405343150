import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    assert.deepEqual(loadConfig({}), {
      port: 8080,
      logLevel: 'info',
      shutdownDelayMs: 5000,
      shutdownTimeoutMs: 25000,
    });
  });

  it('reads the environment', () => {
    const config = loadConfig({
      PORT: '3000',
      LOG_LEVEL: 'debug',
      SHUTDOWN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '1000',
    });
    assert.deepEqual(config, {
      port: 3000,
      logLevel: 'debug',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 1000,
    });
  });

  it('refuses values it cannot use', () => {
    assert.throws(
      () => loadConfig({ PORT: 'http' }),
      /PORT must be an integer/,
    );
    assert.throws(
      () => loadConfig({ PORT: '70000' }),
      /PORT must be an integer/,
    );
    assert.throws(() => loadConfig({ PORT: '-1' }), /PORT must be an integer/);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'verbose' }), /LOG_LEVEL/);
    assert.throws(
      () => loadConfig({ SHUTDOWN_DELAY_MS: '30000' }),
      /SHUTDOWN_DELAY_MS must be shorter than SHUTDOWN_TIMEOUT_MS/,
    );
  });
});
