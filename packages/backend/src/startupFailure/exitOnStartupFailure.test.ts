import { EventEmitter } from 'node:events';
import { mockServices } from '@backstage/backend-test-utils';
import { exitOnStartupFailure } from './exitOnStartupFailure';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return {
    exits,
    emit: (reason: unknown) => emitter.emit('unhandledRejection', reason),
    target: {
      on: (event: 'unhandledRejection', listener: (r: unknown) => void) =>
        emitter.on(event, listener),
      exit: (code: number) => exits.push(code),
    },
  };
}

describe('exitOnStartupFailure', () => {
  it('exits with 1 when the backend failed to start', () => {
    const logger = mockServices.logger.mock();
    const proc = fakeProcess();
    exitOnStartupFailure(logger, proc.target);
    const failure = Object.assign(
      new Error("Plugin 'catalog' startup failed"),
      {
        name: 'BackendStartupError',
      },
    );
    proc.emit(failure);
    expect(proc.exits).toEqual([1]);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('could not start'),
    );
  });

  it('keeps serving after any other unhandled rejection', () => {
    const proc = fakeProcess();
    exitOnStartupFailure(mockServices.logger.mock(), proc.target);
    proc.emit(new Error('a request handler forgot to await'));
    proc.emit(undefined);
    expect(proc.exits).toEqual([]);
  });
});
