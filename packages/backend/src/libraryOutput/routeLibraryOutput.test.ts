import { EventEmitter } from 'node:events';
import { mockServices } from '@backstage/backend-test-utils';
import { routeLibraryOutput, WarningEmitter } from './routeLibraryOutput';

/** A console and a process of our own, so that the test runner's stay untouched. */
function fakeTarget() {
  const printed: string[] = [];
  const print = (...args: unknown[]) => printed.push(args.join(' '));
  const fakeConsole = {
    log: print,
    info: print,
    warn: print,
    error: print,
    debug: print,
  } as unknown as Console;
  const fakeProcess = new EventEmitter();
  // Node's own printer: a 'warning' listener writing plain text to stderr
  fakeProcess.on('warning', (warning: Error) =>
    printed.push(`(node) ${warning.name}: ${warning.message}`),
  );
  return {
    printed,
    target: {
      console: fakeConsole,
      process: fakeProcess as unknown as WarningEmitter,
    },
    fakeProcess,
  };
}

describe('routeLibraryOutput', () => {
  it("sends console lines through the logger, at the console method's level", () => {
    const logger = mockServices.logger.mock();
    const { printed, target } = fakeTarget();
    routeLibraryOutput(logger, target);

    target.console.warn("Can't take lock to run migrations: %s", 'locked');
    target.console.log({ pool: 'exhausted' });
    target.console.error('Connection terminated unexpectedly');

    expect(logger.warn).toHaveBeenCalledWith(
      "Can't take lock to run migrations: locked",
      { source: 'console' },
    );
    expect(logger.info).toHaveBeenCalledWith("{ pool: 'exhausted' }", {
      source: 'console',
    });
    expect(logger.error).toHaveBeenCalledWith(
      'Connection terminated unexpectedly',
      { source: 'console' },
    );
    expect(printed).toEqual([]);
  });

  it("sends process warnings, like the pg driver's, through the logger instead of Node's printer", () => {
    const logger = mockServices.logger.mock();
    const { printed, target, fakeProcess } = fakeTarget();
    routeLibraryOutput(logger, target);

    const warning = Object.assign(
      new Error(
        'Calling client.query() when the client is already executing a query is deprecated',
      ),
      { name: 'DeprecationWarning', code: 'PG_QUERY_QUEUE' },
    );
    fakeProcess.emit('warning', warning);

    expect(logger.warn).toHaveBeenCalledWith(
      'DeprecationWarning: Calling client.query() when the client is already executing a query is deprecated',
      { source: 'process', code: 'PG_QUERY_QUEUE' },
    );
    expect(printed).toEqual([]);
  });

  it('lets a logger that writes to the console itself reach it, without looping', () => {
    const { printed, target } = fakeTarget();
    const logger = mockServices.logger.mock({
      warn: (message: string) =>
        target.console.warn(`{"message":"${message}"}`),
    });
    routeLibraryOutput(logger, target);
    target.console.warn('stray');
    expect(printed).toEqual(['{"message":"stray"}']);
  });

  it('puts the console and the warning printer back when undone', () => {
    const { printed, target, fakeProcess } = fakeTarget();
    const warn = target.console.warn;
    routeLibraryOutput(mockServices.logger.mock(), target)();
    expect(target.console.warn).toBe(warn);
    fakeProcess.emit('warning', new Error('back to stderr'));
    expect(printed).toEqual(['(node) Error: back to stderr']);
  });
});
