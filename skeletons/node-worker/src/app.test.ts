import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app.ts';
import { InMemoryQueue } from './queue.ts';
import { captureLogs, parseExposition } from './testing.ts';

function refusesConnections(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('app', () => {
  it('serves the probes and metrics, and drains before closing', async t => {
    let release!: () => void;
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    const handled: string[] = [];
    const queue = new InMemoryQueue({ waitMs: 20 });
    const app = createApp({
      logger: captureLogs().logger,
      queue,
      handler: async message => {
        await released;
        handled.push(message.body);
      },
    });
    t.after(() => {
      release();
      return app.stop();
    });

    const port = await app.start(0);
    const base = `http://127.0.0.1:${port}`;
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const metrics = parseExposition(
      await (await fetch(`${base}/metrics`)).text(),
    );
    assert.equal(metrics.get('worker_messages_total{outcome="success"}'), 0);

    queue.send('in flight');
    while (queue.inFlightCount === 0) {
      await sleep(5);
    }
    let stopped = false;
    const stopping = app.stop().then(() => {
      stopped = true;
    });

    // Draining: not ready, still alive and scraped, the message still being handled.
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    await sleep(50);
    assert.equal(stopped, false);

    release();
    await stopping;
    assert.deepEqual(handled, ['in flight']);
    assert.equal(queue.inFlightCount, 0, 'the message was acked');
    assert.equal(await refusesConnections(port), true);
  });
});
