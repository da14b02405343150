import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { withoutRequestEcho } from './withoutRequestEcho';

/** Just enough of an Express response for the error handler and the middleware. */
function fakeResponse() {
  const res = {
    statusCode: 200,
    headersSent: false,
    sent: undefined as unknown,
    status(code: number) {
      res.statusCode = code;
      return res;
    },
    json(body?: unknown) {
      res.sent = body;
      return res;
    },
  };
  return res;
}

describe('withoutRequestEcho', () => {
  const errorHandler = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  }).error();

  /** The request through our middleware, then Backstage's error handler. */
  function answer(error: Error, url: string) {
    const req = { method: 'GET', url };
    const res = fakeResponse();
    withoutRequestEcho()(req, res, () => {});
    errorHandler(error, req as never, res as never, () => {});
    return res;
  }

  it("drops the request echo from Backstage's error answers and keeps the rest", () => {
    const res = answer(
      new NotFoundError("No entity 'x'"),
      '/entities/by-name/component/default/x?token=secret-x',
    );
    expect(res.statusCode).toBe(404);
    expect(res.sent).toEqual({
      error: expect.objectContaining({
        name: 'NotFoundError',
        message: "No entity 'x'",
      }),
      response: { statusCode: 404 },
    });
    expect(JSON.stringify(res.sent)).not.toContain('secret-x');
  });

  it('passes the echo through without this middleware (what it is there for)', () => {
    const req = { method: 'GET', url: '/x?token=secret-x' };
    const res = fakeResponse();
    errorHandler(new NotFoundError('x'), req as never, res as never, () => {});
    expect(res.sent).toMatchObject({ request: { url: '/x?token=secret-x' } });
  });

  it('leaves successful answers alone, even one shaped like an error body', () => {
    const res = fakeResponse();
    withoutRequestEcho()({}, res, () => {});
    res.json({ error: 'none', request: 'kept', response: 'kept' });
    expect(res.sent).toEqual({
      error: 'none',
      request: 'kept',
      response: 'kept',
    });
  });
});
