// The worker loop: receive a message, handle it, ack it on success and nack it on failure.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger.ts';
import type { Registry } from './metrics.ts';
import type { Message, Queue } from './queue.ts';

/**
 * Does the work for one message. Resolving acks the message; throwing nacks it, so it is
 * delivered again. Queues deliver at least once: make handlers idempotent.
 */
export type MessageHandler = (
  message: Message,
  context: { logger: Logger },
) => Promise<void>;

export type WorkerOptions = {
  queue: Queue;
  handler: MessageHandler;
  logger: Logger;
  registry: Registry;
  /** Messages handled at the same time, each by its own receive loop; 1 by default. */
  concurrency?: number;
  /** Pause after a failed receive, so a broken queue is not polled in a tight loop. */
  receiveErrorDelayMs?: number;
};

export type Worker = {
  start(): void;
  /** Stops receiving, waits for the messages being handled, and resolves. */
  stop(): Promise<void>;
};

type Outcome = 'success' | 'error';

export function createWorker(options: WorkerOptions): Worker {
  const { queue, handler, logger, registry } = options;
  const concurrency = options.concurrency ?? 1;
  const receiveErrorDelayMs = options.receiveErrorDelayMs ?? 1000;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(
      `concurrency must be a positive integer, got ${concurrency}`,
    );
  }

  const messagesTotal = registry.counter({
    name: 'worker_messages_total',
    help: 'Messages handled, by outcome (success or error).',
    labelNames: ['outcome'],
  });
  const messageDuration = registry.histogram({
    name: 'worker_message_duration_seconds',
    help: 'Time spent handling a message.',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  });
  const messagesInFlight = registry.gauge({
    name: 'worker_messages_in_flight',
    help: 'Messages being handled.',
  });
  const queueErrors = registry.counter({
    name: 'worker_queue_errors_total',
    help: 'Failed queue operations, by operation (receive, ack or nack).',
    labelNames: ['operation'],
  });
  // Series exist from the first scrape, so ratios and alerts work before the first failure.
  for (const outcome of ['success', 'error']) {
    messagesTotal.inc({ outcome }, 0);
  }
  for (const operation of ['receive', 'ack', 'nack']) {
    queueErrors.inc({ operation }, 0);
  }

  const stopping = new AbortController();
  let loops: Promise<void>[] | undefined;

  const handle = async (message: Message) => {
    const messageLogger = logger.child({
      messageId: message.id,
      receiveCount: message.receiveCount,
    });
    messagesInFlight.inc({});
    const stopTimer = messageDuration.startTimer();
    let outcome: Outcome = 'success';
    let failure: unknown;
    try {
      await handler(message, { logger: messageLogger });
    } catch (error) {
      outcome = 'error';
      failure = error;
    }
    const seconds = stopTimer({ outcome });
    messagesTotal.inc({ outcome });
    messagesInFlight.dec({});
    const durationMs = Math.round(seconds * 1e4) / 10;
    if (outcome === 'success') {
      messageLogger.info('message handled', { outcome, durationMs });
    } else {
      messageLogger.error('message failed', {
        outcome,
        durationMs,
        err: failure,
      });
    }

    const operation = outcome === 'success' ? 'ack' : 'nack';
    try {
      await (operation === 'ack' ? queue.ack(message) : queue.nack(message));
    } catch (error) {
      // The message stays on the queue and comes back: another reason to be idempotent.
      queueErrors.inc({ operation });
      messageLogger.error(`${operation} failed`, { err: error });
    }
  };

  const loop = async () => {
    const { signal } = stopping;
    while (!signal.aborted) {
      let message: Message | undefined;
      try {
        message = await queue.receive({ signal });
      } catch (error) {
        if (signal.aborted) {
          break;
        }
        queueErrors.inc({ operation: 'receive' });
        logger.error('receive failed', { err: error });
        await sleep(receiveErrorDelayMs, undefined, { signal }).catch(() => {});
        continue;
      }
      // A message received as stop() began is still handled: it is in flight.
      if (message) {
        await handle(message);
      }
    }
  };

  return {
    start() {
      if (loops) {
        throw new Error('The worker has already been started');
      }
      loops = Array.from({ length: concurrency }, () => loop());
      logger.info('worker started', { concurrency });
    },
    async stop() {
      stopping.abort();
      await Promise.all(loops ?? []);
      logger.info('worker stopped');
    },
  };
}
