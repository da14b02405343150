import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryQueue } from './queue.ts';

const never = new AbortController().signal;

describe('InMemoryQueue', () => {
  it('delivers messages in order and forgets acked ones', async () => {
    const queue = new InMemoryQueue({ waitMs: 10 });
    queue.send('a');
    queue.send('b');
    const first = await queue.receive({ signal: never });
    const second = await queue.receive({ signal: never });
    assert.equal(first?.body, 'a');
    assert.equal(first?.receiveCount, 1);
    assert.equal(second?.body, 'b');
    assert.equal(queue.inFlightCount, 2);
    await queue.ack(first!);
    await queue.ack(second!);
    assert.equal(queue.inFlightCount, 0);
    assert.equal(queue.size, 0);
    assert.equal(await queue.receive({ signal: never }), undefined);
  });

  it('delivers a nacked message again, then dead-letters it', async () => {
    const queue = new InMemoryQueue({ waitMs: 10, maxReceives: 2 });
    queue.send('poison');
    const first = await queue.receive({ signal: never });
    await queue.nack(first!);
    const again = await queue.receive({ signal: never });
    assert.equal(again?.id, first?.id);
    assert.equal(again?.receiveCount, 2);
    await queue.nack(again!);
    assert.equal(queue.size, 0);
    assert.deepEqual(
      queue.deadLetters.map(m => [m.body, m.receiveCount]),
      [['poison', 2]],
    );
  });

  it('refuses to ack a message twice', async () => {
    const queue = new InMemoryQueue({ waitMs: 10 });
    queue.send('x');
    const message = await queue.receive({ signal: never });
    await queue.ack(message!);
    await assert.rejects(queue.ack(message!), /not in flight/);
    await assert.rejects(queue.nack(message!), /not in flight/);
  });

  it('waits for a message sent while receiving', async () => {
    const queue = new InMemoryQueue({ waitMs: 5000 });
    const receiving = queue.receive({ signal: never });
    setTimeout(() => queue.send('late'), 20);
    assert.equal((await receiving)?.body, 'late');
  });

  it('gives up after waitMs, and at once when aborted', async () => {
    const queue = new InMemoryQueue({ waitMs: 50 });
    let started = Date.now();
    assert.equal(await queue.receive({ signal: never }), undefined);
    assert.ok(Date.now() - started >= 45);

    const slow = new InMemoryQueue({ waitMs: 5_000 });
    const controller = new AbortController();
    started = Date.now();
    const receiving = slow.receive({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    assert.equal(await receiving, undefined);
    assert.ok(Date.now() - started < 1000);
  });
});
