import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHttpServer, HttpError, type Route } from './http.ts';
import { createLogger } from './logger.ts';
import { Registry } from './metrics.ts';
import { parseExposition, startTestServer } from './testing.ts';

const exampleRoutes: Route[] = [
  {
    method: 'GET',
    path: '/',
    handler: () => ({ status: 200, body: { hello: 'world' } }),
  },
  {
    method: 'GET',
    path: '/items/:id',
    handler: ({ params }) => ({ status: 200, body: params }),
  },
  {
    method: 'GET',
    path: '/missing',
    handler: () => {
      throw new HttpError(404, 'No such item');
    },
  },
  {
    method: 'POST',
    path: '/broken',
    handler: () => {
      throw new Error('database password is hunter2');
    },
  },
];

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

describe('http server', async () => {
  const server = await startTestServer(exampleRoutes);
  const { url } = server;
  after(() => server.stop());

  it('answers a route with JSON', async () => {
    const res = await fetch(url('/'));
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get('content-type'),
      'application/json; charset=utf-8',
    );
    assert.deepEqual(await res.json(), { hello: 'world' });
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await fetch(url('/'), { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });

  it('is live at once and ready only when told', async () => {
    assert.equal((await fetch(url('/healthz'))).status, 200);
    assert.equal(server.http.isReady(), false);
    const starting = await fetch(url('/readyz'));
    assert.equal(starting.status, 503);
    assert.deepEqual(await starting.json(), { status: 'not ready' });
    server.http.setReady(true);
    assert.equal((await fetch(url('/readyz'))).status, 200);
  });

  it('answers 404 for unknown paths and 405 with Allow for unknown methods', async () => {
    const missing = await fetch(url('/nope'));
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'Not Found' });
    const wrongMethod = await fetch(url('/'), { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET, HEAD');
  });

  it('passes decoded path parameters', async () => {
    const res = await fetch(url('/items/a%20b'));
    assert.deepEqual(await res.json(), { id: 'a b' });
    assert.equal((await fetch(url('/items/'))).status, 404);
    assert.equal((await fetch(url('/items/a/b'))).status, 404);
  });

  it('turns an HttpError into its status and message', async () => {
    const res = await fetch(url('/missing'));
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'No such item' });
  });

  it('hides the message of other errors from the client and logs it', async () => {
    const res = await fetch(url('/broken'), {
      method: 'POST',
      headers: { 'x-request-id': 'req-42' },
    });
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.ok(!text.includes('hunter2'));
    assert.deepEqual(JSON.parse(text), { error: 'Internal Server Error' });
    const line = server.logs().find(l => l.requestId === 'req-42')!;
    assert.equal(line.level, 'error');
    assert.equal(line.status, 500);
    assert.equal(line.route, '/broken');
    assert.match((line.err as { stack: string }).stack, /hunter2/);
  });

  it('propagates a well-formed x-request-id and replaces others', async () => {
    const given = await fetch(url('/'), {
      headers: { 'x-request-id': 'abc-123' },
    });
    assert.equal(given.headers.get('x-request-id'), 'abc-123');
    const odd = await fetch(url('/'), {
      headers: { 'x-request-id': 'has spaces"and quotes' },
    });
    assert.match(odd.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
  });

  it('logs each request as JSON without headers or body', async () => {
    await fetch(url('/items/7?token=query-secret'), {
      headers: {
        authorization: 'Bearer header-secret',
        cookie: 'session=cookie-secret',
        'x-request-id': 'log-check',
      },
    });
    await fetch(url('/broken'), { method: 'POST', body: 'body-secret' });
    const lines = server.logs();
    const line = lines.find(l => l.requestId === 'log-check')!;
    assert.equal(line.level, 'info');
    assert.equal(line.msg, 'request');
    assert.equal(line.service, 'test-service');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, '/items/:id');
    assert.equal(line.path, '/items/7');
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
    const all = JSON.stringify(lines);
    for (const secret of [
      'header-secret',
      'cookie-secret',
      'query-secret',
      'body-secret',
    ]) {
      assert.ok(!all.includes(secret), `${secret} was logged`);
    }
  });

  it('counts requests by method, route template and status', async () => {
    const previous = parseExposition(
      await (await fetch(url('/metrics'))).text(),
    );
    const get = (samples: Map<string, number>, key: string) =>
      samples.get(key) ?? 0;

    await fetch(url('/'));
    await fetch(url('/'));
    await fetch(url('/items/1'));
    await fetch(url('/items/2'));
    await fetch(url('/nowhere/at/all'));
    await fetch(url('/healthz'));
    await fetch(url('/readyz'));

    const res = await fetch(url('/metrics'));
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get('content-type'),
      'text/plain; version=0.0.4; charset=utf-8',
    );
    const text = await res.text();
    const current = parseExposition(text);
    const delta = (key: string) => get(current, key) - get(previous, key);

    assert.equal(
      delta('http_requests_total{method="GET",route="/",status="200"}'),
      2,
    );
    assert.equal(
      delta(
        'http_requests_total{method="GET",route="/items/:id",status="200"}',
      ),
      2,
    );
    assert.equal(
      delta('http_requests_total{method="GET",route="unmatched",status="404"}'),
      1,
    );
    assert.equal(
      delta(
        'http_request_duration_seconds_count{method="GET",route="/",status="200"}',
      ),
      2,
    );
    assert.equal(
      delta(
        'http_request_duration_seconds_bucket{method="GET",route="/",status="200",le="+Inf"}',
      ),
      2,
    );
    assert.ok(
      current.has(
        'http_request_duration_seconds_bucket{method="GET",route="/",status="200",le="0.005"}',
      ),
    );
    assert.equal(current.get('http_requests_in_flight'), 0);
    // Raw paths and probes never become label values.
    assert.ok(!text.includes('/items/1'));
    assert.ok(!text.includes('nowhere'));
    assert.ok(!text.includes('route="/healthz"'));
    assert.ok(!text.includes('route="/metrics"'));
  });

  it('refuses to shadow the operational endpoints', () => {
    assert.throws(
      () =>
        createHttpServer({
          logger: createLogger({ service: 'x', write: () => {} }),
          registry: new Registry(),
          routes: [
            {
              method: 'GET',
              path: '/healthz',
              handler: () => ({ status: 200 }),
            },
          ],
        }),
      /reserved/,
    );
  });
});

describe('http server shutdown', () => {
  it('reports not ready, finishes in-flight requests, then stops accepting', async t => {
    let markStarted!: () => void;
    const started = new Promise<void>(resolve => {
      markStarted = resolve;
    });
    let finish!: () => void;
    const finished = new Promise<void>(resolve => {
      finish = resolve;
    });
    const server = await startTestServer([
      {
        method: 'GET',
        path: '/slow',
        handler: async () => {
          markStarted();
          await finished;
          return { status: 200, body: 'done' };
        },
      },
    ]);
    // On failure too: a request left hanging would keep the test process alive.
    t.after(() => {
      finish();
      return server.stop();
    });
    server.http.setReady(true);
    const port = Number(new URL(server.url('/')).port);

    const slow = fetch(server.url('/slow'));
    await started;
    let closed = false;
    const closing = server.http.close({ drainDelayMs: 200 }).then(() => {
      closed = true;
    });

    // During the drain delay: still serving, but no longer ready.
    assert.equal(server.http.isReady(), false);
    assert.equal((await fetch(server.url('/readyz'))).status, 503);
    assert.equal((await fetch(server.url('/healthz'))).status, 200);

    // After it: the listener is closed while the slow request is still running.
    await sleep(300);
    assert.equal(await refusesConnections(port), true);
    assert.equal(closed, false);

    finish();
    const res = await slow;
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'done');
    assert.equal(res.headers.get('connection'), 'close');
    await closing;
    assert.equal(closed, true);
  });

  it('closes at once when nothing is in flight, and twice is harmless', async () => {
    const server = await startTestServer();
    await fetch(server.url('/healthz'));
    const started = Date.now();
    await Promise.all([server.http.close(), server.http.close()]);
    assert.ok(Date.now() - started < 1000);
  });
});
