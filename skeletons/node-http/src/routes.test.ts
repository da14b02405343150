import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createRoutes } from './routes.ts';
import { SERVICE_DESCRIPTION, SERVICE_NAME } from './service.ts';
import { startTestServer } from './testing.ts';

describe('routes', async () => {
  const server = await startTestServer(createRoutes());
  after(() => server.stop());

  it('answers GET / with the service name and description', async () => {
    const res = await fetch(server.url('/'));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      service: SERVICE_NAME,
      description: SERVICE_DESCRIPTION,
    });
    assert.match(SERVICE_NAME, /^[a-z]([-a-z0-9]*[a-z0-9])?$/);
  });
});
