import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';

/** A closed-loop load: `concurrency` clients, each sending its next request when the last answered. */
export interface LoadOptions {
  /** Every request goes to `${urlPrefix}${i}`, i drawn uniformly from [0, ids). */
  urlPrefix: string;
  ids: number;
  token: string;
  concurrency: number;
  /** Requests sent first and not measured. */
  warmup: number;
  requests: number;
}

export interface LoadResult {
  /** Milliseconds from sending a request to having read its whole response. */
  latencies: Float64Array;
  elapsedMs: number;
  errors: number;
  firstError?: string;
  responseBytes: number;
}

const MARK = 'scorecard-bench-load';

function get(
  agent: Agent,
  url: string,
  token: string,
): Promise<{ status: number; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, headers: { authorization: `Bearer ${token}` } },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            bytes: body.length,
            body: res.statusCode === 200 ? '' : body.toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function generate(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies = new Float64Array(options.requests);
  let errors = 0;
  let firstError: string | undefined;
  let responseBytes = 0;

  async function phase(total: number, record: boolean) {
    let next = 0;
    const client = async () => {
      while (next < total) {
        const n = next++;
        const url = `${options.urlPrefix}${Math.floor(
          Math.random() * options.ids,
        )}`;
        const started = performance.now();
        try {
          const res = await get(agent, url, options.token);
          if (record) {
            latencies[n] = performance.now() - started;
            responseBytes += res.bytes;
          }
          if (res.status !== 200) {
            errors += 1;
            firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
          }
        } catch (e) {
          errors += 1;
          firstError ??= String(e);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, client));
  }

  await phase(options.warmup, false);
  const started = performance.now();
  await phase(options.requests, true);
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies, elapsedMs, errors, firstError, responseBytes };
}

/**
 * Runs the load from a worker thread, so the clients do not share an event loop with the
 * server they measure.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
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
  // A rejection here fails the worker, which rejects runLoad's promise.
  generate(workerData.options).then(result => parentPort?.postMessage(result));
}
