import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { onShutdownSignals, type ShutdownSignal } from './lifecycle.ts';
import { captureLogs } from './testing.ts';

function setup(
  shutdown: (signal: ShutdownSignal) => Promise<void>,
  timeoutMs = 1000,
) {
  const source = new EventEmitter();
  const exits: number[] = [];
  const logs = captureLogs();
  let exited!: (code: number) => void;
  const firstExit = new Promise<number>(resolve => {
    exited = resolve;
  });
  onShutdownSignals({
    logger: logs.logger,
    shutdown,
    timeoutMs,
    source,
    exit: code => {
      exits.push(code);
      exited(code);
    },
  });
  return { source, exits, firstExit, logs: logs.lines };
}

describe('onShutdownSignals', () => {
  it('runs the shutdown once and exits 0', async () => {
    const signals: ShutdownSignal[] = [];
    const { source, firstExit, logs } = setup(async signal => {
      signals.push(signal);
    });
    source.emit('SIGTERM');
    assert.equal(await firstExit, 0);
    assert.deepEqual(signals, ['SIGTERM']);
    assert.deepEqual(
      logs().map(l => l.msg),
      ['shutting down', 'stopped'],
    );
  });

  it('passes SIGINT through too', async () => {
    const signals: ShutdownSignal[] = [];
    const { source, firstExit } = setup(async signal => {
      signals.push(signal);
    });
    source.emit('SIGINT');
    assert.equal(await firstExit, 0);
    assert.deepEqual(signals, ['SIGINT']);
  });

  it('exits 1 when the shutdown fails', async () => {
    const { source, firstExit, logs } = setup(async () => {
      throw new Error('could not flush');
    });
    source.emit('SIGTERM');
    assert.equal(await firstExit, 1);
    assert.equal(logs().at(-1)!.msg, 'shutdown failed');
  });

  it('exits 1 when the shutdown outlives the timeout', async () => {
    const { source, firstExit, logs } = setup(() => new Promise(() => {}), 50);
    source.emit('SIGTERM');
    assert.equal(await firstExit, 1);
    assert.equal(logs().at(-1)!.msg, 'shutdown timed out');
  });

  it('exits 1 at once on a second signal', async () => {
    const { source, exits } = setup(() => sleep(100));
    source.emit('SIGINT');
    source.emit('SIGINT');
    assert.deepEqual(exits, [1]);
    await sleep(150);
  });
});
