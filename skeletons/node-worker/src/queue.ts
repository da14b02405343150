// The queue the worker consumes, behind an interface so the worker loop and its tests do not
// depend on a broker. InMemoryQueue serves the tests and local runs.
//
// A real queue is one class implementing Queue, constructed in main.ts instead of
// InMemoryQueue. For Amazon SQS with @aws-sdk/client-sqs, for example:
//   - receive: ReceiveMessageCommand with MaxNumberOfMessages 1 and WaitTimeSeconds 20 (long
//     polling), sent with { abortSignal: signal } so shutdown does not wait for the poll;
//     undefined when no message came back. Return a Message that also carries the
//     ReceiptHandle (id: MessageId, receiveCount: Attributes.ApproximateReceiveCount).
//   - ack: DeleteMessageCommand with that ReceiptHandle.
//   - nack: ChangeMessageVisibilityCommand with VisibilityTimeout 0 to retry at once, or a
//     longer timeout to back off.
//   - Poison messages: a redrive policy (maxReceiveCount) on the queue moves them to a
//     dead-letter queue, as maxReceives does here.
//   - Set the queue's visibility timeout above the longest handler run, or a message is
//     delivered again while still being handled.

export type Message = {
  id: string;
  body: string;
  /** Deliveries of this message so far, this one included. */
  receiveCount: number;
};

export interface Queue {
  /**
   * The next message, waiting for one for a while (long polling); undefined if none came or
   * `signal` was aborted. A received message is hidden from other consumers until acked or
   * nacked.
   */
  receive(options: { signal: AbortSignal }): Promise<Message | undefined>;
  /** Done with the message: delete it. */
  ack(message: Message): Promise<void>;
  /** Not done: deliver the message again. */
  nack(message: Message): Promise<void>;
}

export type InMemoryQueueOptions = {
  /** How long receive waits for a message; 1000 ms by default. */
  waitMs?: number;
  /** Deliveries before a nacked message goes to deadLetters; 5 by default. */
  maxReceives?: number;
};

/** A queue in this process's memory: nothing survives a restart, so only for tests and local runs. */
export class InMemoryQueue implements Queue {
  /** Messages nacked maxReceives times. */
  readonly deadLetters: Message[] = [];
  private readonly waitMs: number;
  private readonly maxReceives: number;
  private readonly waiting: Message[] = [];
  private readonly inFlight = new Map<string, Message>();
  private readonly wakers = new Set<() => void>();
  private nextId = 1;

  constructor(options: InMemoryQueueOptions = {}) {
    this.waitMs = options.waitMs ?? 1000;
    this.maxReceives = options.maxReceives ?? 5;
  }

  /** Messages waiting to be received. */
  get size(): number {
    return this.waiting.length;
  }

  /** Messages received and neither acked nor nacked yet. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  send(body: string): Message {
    const message = { id: String(this.nextId++), body, receiveCount: 0 };
    this.waiting.push(message);
    for (const wake of this.wakers) {
      wake();
      break;
    }
    return { ...message };
  }

  async receive({ signal }: { signal: AbortSignal }) {
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      if (signal.aborted) {
        return undefined;
      }
      const message = this.waiting.shift();
      if (message) {
        message.receiveCount += 1;
        this.inFlight.set(message.id, message);
        return { ...message };
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        return undefined;
      }
      await this.sleep(remaining, signal);
    }
  }

  async ack(message: Message) {
    this.take(message);
  }

  async nack(message: Message) {
    const stored = this.take(message);
    if (stored.receiveCount >= this.maxReceives) {
      this.deadLetters.push({ ...stored });
    } else {
      this.waiting.push(stored);
    }
  }

  private take(message: Message): Message {
    const stored = this.inFlight.get(message.id);
    if (!stored) {
      throw new Error(`Message ${message.id} is not in flight`);
    }
    this.inFlight.delete(message.id);
    return stored;
  }

  /** Resolves after `ms`, on abort, or when send wakes this receiver. */
  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', wake);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      signal.addEventListener('abort', wake);
      this.wakers.add(wake);
    });
  }
}
