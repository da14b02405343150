import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const logger = createLogger({
    service: 'payments-api',
    level,
    write: line => lines.push(line),
    now: () => new Date('2030-01-02T03:04:05.678Z'),
  });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line with time, level, msg and service first', () => {
    const { logger, lines } = capture();
    logger.info('started', { port: 8080 });
    logger.warn('multi\nline message');
    assert.equal(lines.length, 2);
    for (const line of lines) {
      assert.ok(!line.includes('\n'));
    }
    assert.equal(
      lines[0],
      '{"time":"2030-01-02T03:04:05.678Z","level":"info","msg":"started","service":"payments-api","port":8080}',
    );
    assert.deepEqual(JSON.parse(lines[1]).msg, 'multi\nline message');
  });

  it('drops lines below the level', () => {
    const { logger, lines } = capture('warn');
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    assert.deepEqual(
      lines.map(line => JSON.parse(line).level),
      ['warn', 'error'],
    );
  });

  it('keeps the base fields from being overwritten', () => {
    const { logger, lines } = capture();
    logger.info('real', { msg: 'fake', level: 'error', service: 'other' });
    const entry = JSON.parse(lines[0]);
    assert.equal(entry.msg, 'real');
    assert.equal(entry.level, 'info');
    assert.equal(entry.service, 'payments-api');
  });

  it('adds the fields of a child logger to each line', () => {
    const { logger, lines } = capture();
    logger.child({ requestId: 'r-1' }).info('handled', { status: 200 });
    assert.deepEqual(JSON.parse(lines[0]), {
      time: '2030-01-02T03:04:05.678Z',
      level: 'info',
      msg: 'handled',
      service: 'payments-api',
      requestId: 'r-1',
      status: 200,
    });
  });

  it('serializes errors with message and stack', () => {
    const { logger, lines } = capture();
    logger.error('failed', { err: new TypeError('boom') });
    const { err } = JSON.parse(lines[0]);
    assert.equal(err.name, 'TypeError');
    assert.equal(err.message, 'boom');
    assert.match(err.stack, /logger\.test\.ts/);
  });

  it('redacts credentials even when a caller passes them', () => {
    const { logger, lines } = capture();
    logger.info('request', {
      headers: { authorization: 'Bearer s3cret', Cookie: 'session=s3cret' },
      password: 's3cret',
    });
    assert.ok(!lines[0].includes('s3cret'), lines[0]);
    assert.equal(JSON.parse(lines[0]).headers.authorization, '[REDACTED]');
  });

  it('never throws on fields it cannot serialize', () => {
    const { logger, lines } = capture();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    logger.info('odd', { circular, big: 10n });
    const entry = JSON.parse(lines[0]);
    assert.equal(entry.msg, 'odd');
    assert.match(entry.logError, /not serializable/);
  });
});
