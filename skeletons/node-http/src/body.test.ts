import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import { readJsonBody } from './body.ts';
import { startTestServer } from './testing.ts';

function postChunked(
  url: string,
  chunks: string[],
): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      res => {
        res.resume();
        resolve({
          status: res.statusCode!,
          connection: res.headers.connection,
        });
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) {
      req.write(chunk);
    }
    req.end();
  });
}

describe('readJsonBody', async () => {
  const server = await startTestServer([
    {
      method: 'POST',
      path: '/echo',
      handler: async ({ request: req }) => ({
        status: 200,
        body: { received: await readJsonBody(req, { limitBytes: 64 }) },
      }),
    },
  ]);
  after(() => server.stop());
  const post = (body: string, contentType = 'application/json') =>
    fetch(server.url('/echo'), {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  it('parses a JSON body', async () => {
    const res = await post('{"amount":12}', 'application/json; charset=utf-8');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { received: { amount: 12 } });
  });

  it('answers 415 to another content type', async () => {
    const res = await post('{"amount":12}', 'text/plain');
    assert.equal(res.status, 415);
  });

  it('answers 400 to malformed JSON', async () => {
    const res = await post('{"amount":');
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'Body is not valid JSON' });
  });

  it('answers 413 and closes the connection when the body is too large', async () => {
    const declared = await post(JSON.stringify('x'.repeat(100)));
    assert.equal(declared.status, 413);
    assert.equal(declared.headers.get('connection'), 'close');

    const streamed = await postChunked(server.url('/echo'), [
      '"' + 'x'.repeat(40),
      'x'.repeat(40),
      'x'.repeat(40) + '"',
    ]);
    assert.equal(streamed.status, 413);
    assert.equal(streamed.connection, 'close');
  });
});
