import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { NotFoundError, ResponseError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { isServiceUnavailable, serviceOutageHandler } from './serviceOutage';

// What the catalog client throws for an answer (CatalogClient: ResponseError.fromResponse).
async function catalogAnswer(status: number, error: object) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error,
        request: {
          method: 'GET',
          url: '/entities/by-name/component/default/x',
        },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

describe('isServiceUnavailable', () => {
  it('is true while the database cannot be reached', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:5432'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(isServiceUnavailable(refused)).toBe(true);
    expect(
      isServiceUnavailable(new Error('Connection terminated unexpectedly')),
    ).toBe(true);
  });

  it('is true while the catalog is unavailable, or failing on its own database', async () => {
    expect(
      isServiceUnavailable(
        await catalogAnswer(503, {
          name: 'ServiceUnavailableError',
          message: 'x',
        }),
      ),
    ).toBe(true);
    expect(
      isServiceUnavailable(
        await catalogAnswer(500, {
          name: 'Error',
          message: 'connect ECONNREFUSED 127.0.0.1:5432',
          code: 'ECONNREFUSED',
        }),
      ),
    ).toBe(true);
  });

  it('is true while the catalog answers what Backstage shows of a database error', async () => {
    // a pg DatabaseError ("terminating connection due to administrator command"), filtered
    expect(
      isServiceUnavailable(
        await catalogAnswer(500, {
          name: 'Error',
          message: 'An internal error occurred logId=3f2fbe509b3f10ec7311',
        }),
      ),
    ).toBe(true);
  });

  it('is true while the permission service fails because the auth service cannot reach its database', async () => {
    // what the permission service answers when its call for the user's info fails
    const answer = await catalogAnswer(500, {
      name: 'ResponseError',
      message: 'Request failed with 500 Internal Server Error',
      response: {},
      body: {
        error: {
          name: 'Error',
          message: 'connect ECONNREFUSED 127.0.0.1:5432',
          code: 'ECONNREFUSED',
        },
        response: { statusCode: 500 },
      },
      cause: {
        name: 'Error',
        message: 'connect ECONNREFUSED 127.0.0.1:5432',
        code: 'ECONNREFUSED',
      },
      statusCode: 500,
      statusText: 'Internal Server Error',
    });
    expect(isServiceUnavailable(answer)).toBe(true);
    // and an unavailable service behind another
    const behind = await catalogAnswer(500, {
      name: 'ResponseError',
      message: 'Request failed with 503 Service Unavailable',
      response: {},
      body: {
        error: { name: 'ServiceUnavailableError', message: 'x' },
        response: { statusCode: 503 },
      },
      cause: { name: 'ServiceUnavailableError', message: 'x' },
      statusCode: 503,
      statusText: 'Service Unavailable',
    });
    expect(isServiceUnavailable(behind)).toBe(true);
  });

  it('is false for what a retry would not change', async () => {
    expect(isServiceUnavailable(new Error('relation "x" does not exist'))).toBe(
      false,
    );
    expect(
      isServiceUnavailable(
        await catalogAnswer(500, {
          name: 'TypeError',
          message: 'x is undefined',
        }),
      ),
    ).toBe(false);
    expect(
      isServiceUnavailable(
        await catalogAnswer(404, { name: 'NotFoundError', message: 'x' }),
      ),
    ).toBe(false);
    // a bug behind another service's answer is still a bug
    expect(
      isServiceUnavailable(
        await catalogAnswer(500, {
          name: 'ResponseError',
          message: 'Request failed with 500 Internal Server Error',
          response: {},
          body: {
            error: { name: 'TypeError', message: 'x is undefined' },
            response: { statusCode: 500 },
          },
          cause: { name: 'TypeError', message: 'x is undefined' },
          statusCode: 500,
          statusText: 'Internal Server Error',
        }),
      ),
    ).toBe(false);
    expect(
      isServiceUnavailable(
        await catalogAnswer(500, {
          name: 'Error',
          message: 'An internal error occurred, ask the platform team',
        }),
      ),
    ).toBe(false);
    expect(isServiceUnavailable(undefined)).toBe(false);
  });
});

describe('serviceOutageHandler', () => {
  // A plugin's router as the backend mounts it, then Backstage's own error handler.
  function app(failure: () => Promise<Error>) {
    const router = Router();
    router.get('/thing', async () => {
      throw await failure();
    });
    router.use(
      serviceOutageHandler({ what: 'The scorecard', services: 'the catalog' }),
    );
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    return express().use(router).use(middleware.error());
  }

  it('answers 503 with Retry-After while a service it calls is unavailable', async () => {
    const res = await request(
      app(() => catalogAnswer(503, { name: 'Error', message: 'x' })),
    ).get('/thing');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error.message).toBe(
      'The scorecard cannot reach the catalog right now; try again in 5 seconds',
    );
  });

  it('passes on what a retry would not change', async () => {
    const bug = await request(
      app(() => catalogAnswer(500, { name: 'TypeError', message: 'x' })),
    ).get('/thing');
    expect(bug.status).toBe(500);
    expect(bug.headers['retry-after']).toBeUndefined();
    const missing = await request(
      app(async () => new NotFoundError("No entity 'x'")),
    ).get('/thing');
    expect(missing.status).toBe(404);
  });
});
