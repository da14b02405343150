import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handleMessage } from './handler.ts';
import { captureLogs } from './testing.ts';

const message = (body: string) => ({ id: '1', body, receiveCount: 1 });

describe('handleMessage', () => {
  it('accepts an event with a type and logs the type only', async () => {
    const { logger, lines } = captureLogs();
    await handleMessage(
      message('{"type":"payment.created","card":"4111111111111111"}'),
      { logger },
    );
    assert.equal(lines().at(-1)!.type, 'payment.created');
    assert.ok(!JSON.stringify(lines()).includes('4111'));
  });

  it('rejects a body that is not JSON, so the message is nacked', async () => {
    const { logger } = captureLogs();
    await assert.rejects(
      handleMessage(message('not json'), { logger }),
      /not JSON/,
    );
  });

  it('rejects an event without a type', async () => {
    const { logger } = captureLogs();
    await assert.rejects(
      handleMessage(message('{"kind":"x"}'), { logger }),
      /no string "type"/,
    );
    await assert.rejects(handleMessage(message('null'), { logger }), /type/);
  });
});
