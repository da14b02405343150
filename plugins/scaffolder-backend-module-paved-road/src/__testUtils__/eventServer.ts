import {
  createServer,
  IncomingHttpHeaders,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export type RecordedRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Status the server answered with; undefined while pending or when the client gave up. */
  status?: number;
};

// A configured endpoint's path, and the portal insights backend's (the default target).
const EVENT_PATHS = ['/events', '/api/insights/events'];

/** Answers one POST to the events path. */
export type Answer = (res: ServerResponse) => void;

/**
 * A real HTTP server on 127.0.0.1 that plays both the events endpoint (`POST /events`)
 * and the scaffolder's task API (`GET /api/scaffolder/v2/tasks/:id`).
 */
export type EventServer = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** The POSTs to `/events`. */
  events(): RecordedRequest[];
  /** Answers for the next POSTs, in order; once used up, POSTs get 200. */
  answer(...answers: Answer[]): void;
  /** Makes the task API know a task with this creation time. */
  addTask(id: string, createdAt: Date): void;
  /** Forgets requests, answers and tasks. */
  reset(): void;
  close(): Promise<void>;
};

export const answers = {
  status:
    (status: number, headers: Record<string, string> = {}): Answer =>
    res => {
      res.writeHead(status, {
        'content-type': 'application/json',
        ...headers,
      });
      res.end(JSON.stringify({ status }));
    },
};

export async function startEventServer(): Promise<EventServer> {
  const requests: RecordedRequest[] = [];
  const tasks = new Map<string, string>();
  let queue: Answer[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const record: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(record);
      res.on('finish', () => {
        record.status = res.statusCode;
      });

      const task = /^\/api\/scaffolder\/v2\/tasks\/([^/?]+)$/.exec(record.path);
      if (req.method === 'GET' && task) {
        const id = decodeURIComponent(task[1]);
        const createdAt = tasks.get(id);
        if (createdAt === undefined) {
          answers.status(404)(res);
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id, createdAt, status: 'processing' }));
        }
        return;
      }
      if (req.method === 'POST' && EVENT_PATHS.includes(record.path)) {
        (queue.shift() ?? answers.status(200))(res);
        return;
      }
      answers.status(404)(res);
    });
  });

  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    events: () =>
      requests.filter(r => r.method === 'POST' && EVENT_PATHS.includes(r.path)),
    answer(...next) {
      queue.push(...next);
    },
    addTask(id, createdAt) {
      tasks.set(id, createdAt.toISOString());
    },
    reset() {
      requests.length = 0;
      queue = [];
      tasks.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** An answer that comes after `ms` milliseconds (the client usually gives up first). */
export function slowAnswer(ms: number, answer = answers.status(200)): Answer {
  return res => {
    const timer = setTimeout(() => {
      if (!res.destroyed) {
        answer(res);
      }
    }, ms);
    timer.unref();
    res.on('close', () => clearTimeout(timer));
  };
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}
