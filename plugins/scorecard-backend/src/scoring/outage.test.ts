import { ResponseError } from '@backstage/errors';
import { isOutage } from './outage';

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

describe('isOutage', () => {
  it('is true while the database cannot be reached', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:5432'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(isOutage(refused)).toBe(true);
    expect(isOutage(new Error('Connection terminated unexpectedly'))).toBe(
      true,
    );
  });

  it('is true while the catalog is unavailable, or failing on its own database', async () => {
    expect(
      isOutage(
        await catalogAnswer(503, {
          name: 'ServiceUnavailableError',
          message: 'x',
        }),
      ),
    ).toBe(true);
    expect(
      isOutage(
        await catalogAnswer(500, {
          name: 'Error',
          message: 'connect ECONNREFUSED 127.0.0.1:5432',
          code: 'ECONNREFUSED',
        }),
      ),
    ).toBe(true);
  });

  it('is false for what a retry would not change', async () => {
    expect(isOutage(new Error('relation "x" does not exist'))).toBe(false);
    expect(
      isOutage(
        await catalogAnswer(500, {
          name: 'TypeError',
          message: 'x is undefined',
        }),
      ),
    ).toBe(false);
    expect(
      isOutage(
        await catalogAnswer(404, { name: 'NotFoundError', message: 'x' }),
      ),
    ).toBe(false);
    expect(isOutage(undefined)).toBe(false);
  });
});
