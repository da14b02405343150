import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';

/** A closed loop: `connections` clients, each sending its next request when the last answered. */
export interface DurationLoadOptions {
  /** Each request goes to the next of these, in turn. */
  urls: string[];
  token: string;
  connections: number;
  /** Sent first and not measured. */
  warmupMs: number;
  durationMs: number;
}

export interface DurationLoadResult {
  /** Milliseconds from sending a request to having read its whole answer. */
  latencies: number[];
  elapsedMs: number;
  errors: number;
  firstError?: string;
}

const MARK = 'api-bench-duration-load';

function get(agent: Agent, url: string, token: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      { agent, headers: { authorization: `Bearer ${token}` } },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body:
              res.statusCode === 200
                ? ''
                : Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function generate(
  options: DurationLoadOptions,
): Promise<DurationLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;

  async function phase(untilMs: number, record: boolean) {
    const client = async () => {
      while (performance.now() < untilMs) {
        const url = options.urls[next++ % options.urls.length];
        const started = performance.now();
        try {
          const res = await get(agent, url, options.token);
          if (res.status !== 200) {
            errors += record ? 1 : 0;
            firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
          } else if (record) {
            latencies.push(performance.now() - started);
          }
        } catch (error) {
          errors += record ? 1 : 0;
          firstError ??= String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: options.connections }, client));
  }

  await phase(performance.now() + options.warmupMs, false);
  const started = performance.now();
  await phase(started + options.durationMs, true);
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies, elapsedMs, errors, firstError };
}

/**
 * Runs the load from a worker thread, so that the clients' own work does not sit on the
 * event loop that reports the figures.
 */
export function runDurationLoad(
  options: DurationLoadOptions,
): Promise<DurationLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, {
      workerData: { mark: MARK, options },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', code => {
      if (code !== 0) {
        reject(new Error(`Load worker exited with code ${code}`));
      }
    });
  });
}

if (!isMainThread && workerData?.mark === MARK) {
  generate(workerData.options).then(result => parentPort?.postMessage(result));
}
