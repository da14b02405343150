import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from './metrics.ts';
import { InMemoryQueue, type Message, type Queue } from './queue.ts';
import { captureLogs, parseExposition } from './testing.ts';
import { createWorker, type MessageHandler } from './worker.ts';

async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 2000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await sleep(5);
  }
}

function setup(
  t: TestContext,
  handler: MessageHandler,
  options: { queue?: Queue; concurrency?: number } = {},
) {
  const queue =
    options.queue ?? new InMemoryQueue({ waitMs: 20, maxReceives: 2 });
  const registry = new Registry();
  const logs = captureLogs();
  const worker = createWorker({
    queue,
    handler,
    logger: logs.logger,
    registry,
    concurrency: options.concurrency,
    receiveErrorDelayMs: 10,
  });
  // Also when an assertion fails: running loops would keep the test process alive.
  t.after(() => worker.stop());
  const metric = (series: string) =>
    parseExposition(registry.render()).get(series);
  return { queue, worker, logs: logs.lines, metric };
}

describe('worker', () => {
  it('acks each message its handler accepts', async t => {
    const handled: string[] = [];
    const { queue, worker, metric, logs } = setup(t, async message => {
      handled.push(message.body);
    });
    const inMemory = queue as InMemoryQueue;
    for (const body of ['a', 'b', 'c']) {
      inMemory.send(body);
    }
    worker.start();
    await waitFor(
      () => handled.length === 3 && inMemory.inFlightCount === 0,
      'acks',
    );
    await worker.stop();

    assert.deepEqual(handled, ['a', 'b', 'c']);
    assert.equal(inMemory.size, 0);
    assert.equal(inMemory.deadLetters.length, 0);
    assert.equal(metric('worker_messages_total{outcome="success"}'), 3);
    assert.equal(metric('worker_messages_total{outcome="error"}'), 0);
    assert.equal(
      metric('worker_message_duration_seconds_count{outcome="success"}'),
      3,
    );
    assert.equal(
      metric(
        'worker_message_duration_seconds_bucket{outcome="success",le="2.5"}',
      ),
      3,
    );
    assert.equal(metric('worker_messages_in_flight'), 0);
    const handledLine = logs().find(l => l.msg === 'message handled')!;
    assert.equal(handledLine.messageId, '1');
    assert.equal(typeof handledLine.durationMs, 'number');
  });

  it('nacks a message whose handler throws, and counts the error', async t => {
    const attempts: number[] = [];
    const { queue, worker, metric, logs } = setup(t, async message => {
      attempts.push(message.receiveCount);
      throw new Error('downstream unavailable');
    });
    const inMemory = queue as InMemoryQueue;
    inMemory.send('{"type":"x"}');
    worker.start();
    await waitFor(() => inMemory.deadLetters.length === 1, 'the dead letter');
    await worker.stop();

    // maxReceives is 2: delivered, nacked, delivered again, nacked, dead-lettered.
    assert.deepEqual(attempts, [1, 2]);
    assert.equal(metric('worker_messages_total{outcome="error"}'), 2);
    assert.equal(metric('worker_messages_total{outcome="success"}'), 0);
    const failures = logs().filter(l => l.msg === 'message failed');
    assert.equal(failures.length, 2);
    assert.equal(failures[0].level, 'error');
    assert.equal(
      (failures[0].err as { message: string }).message,
      'downstream unavailable',
    );
  });

  it('finishes the message in flight on stop and receives no more', async t => {
    let release!: () => void;
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    // Registered before setup's stop(), so a failed assertion cannot leave stop() waiting.
    t.after(() => release());
    const handled: string[] = [];
    const { queue, worker } = setup(t, async message => {
      if (message.body === 'slow') {
        await released;
      }
      handled.push(message.body);
    });
    const inMemory = queue as InMemoryQueue;
    inMemory.send('slow');
    worker.start();
    await waitFor(() => inMemory.inFlightCount === 1, 'the slow message');
    inMemory.send('later');

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    await sleep(50);
    assert.equal(stopped, false, 'stop() returned with a message in flight');

    release();
    await stopping;
    assert.deepEqual(handled, ['slow']);
    assert.equal(inMemory.inFlightCount, 0, 'the slow message was acked');
    assert.equal(inMemory.size, 1, 'the later message is left on the queue');
  });

  it('stops promptly while waiting for messages', async t => {
    const queue = new InMemoryQueue({ waitMs: 5_000 });
    const { worker } = setup(t, async () => {}, { queue });
    worker.start();
    await sleep(20);
    const started = Date.now();
    await worker.stop();
    assert.ok(Date.now() - started < 500);
  });

  it('handles at most `concurrency` messages at a time', async t => {
    let active = 0;
    let peak = 0;
    const { queue, worker } = setup(
      t,
      async () => {
        active += 1;
        peak = Math.max(peak, active);
        await sleep(20);
        active -= 1;
      },
      { concurrency: 2 },
    );
    const inMemory = queue as InMemoryQueue;
    for (let i = 0; i < 6; i += 1) {
      inMemory.send(String(i));
    }
    worker.start();
    await waitFor(
      () => inMemory.size === 0 && inMemory.inFlightCount === 0,
      'all',
    );
    await worker.stop();
    assert.equal(peak, 2);
  });

  it('keeps going after queue failures, and counts them', async t => {
    const inner = new InMemoryQueue({ waitMs: 20 });
    let receiveFailures = 1;
    let ackFailures = 1;
    const flaky: Queue = {
      receive: options => {
        if (receiveFailures-- > 0) {
          return Promise.reject(new Error('connection reset'));
        }
        return inner.receive(options);
      },
      ack: (message: Message) => {
        if (ackFailures-- > 0) {
          return Promise.reject(new Error('receipt expired'));
        }
        return inner.ack(message);
      },
      nack: message => inner.nack(message),
    };
    const handled: string[] = [];
    const { worker, metric, logs } = setup(
      t,
      async message => {
        handled.push(message.body);
      },
      { queue: flaky },
    );
    inner.send('a');
    inner.send('b');
    worker.start();
    await waitFor(() => handled.length === 2, 'both messages');
    await worker.stop();

    assert.equal(metric('worker_queue_errors_total{operation="receive"}'), 1);
    assert.equal(metric('worker_queue_errors_total{operation="ack"}'), 1);
    assert.equal(metric('worker_queue_errors_total{operation="nack"}'), 0);
    assert.ok(logs().some(l => l.msg === 'receive failed'));
    assert.ok(logs().some(l => l.msg === 'ack failed'));
  });

  it('refuses a second start and a bad concurrency', async t => {
    const { worker } = setup(t, async () => {});
    worker.start();
    assert.throws(() => worker.start(), /already been started/);
    await worker.stop();
    assert.throws(
      () => setup(t, async () => {}, { concurrency: 0 }),
      /concurrency must be a positive integer/,
    );
  });
});
