import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { InsightsClient } from './api';
import { payments, PAYMENTS, weeksOf } from './__testUtils__/fakeInsightsApi';

function json(status: number, body: unknown, statusText = 'OK') {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
}

function setup(response: Response) {
  const fetch = jest.fn<Promise<Response>, [RequestInfo | URL, RequestInit?]>();
  fetch.mockResolvedValueOnce(response);
  const client = InsightsClient.create({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage:7007' }),
    fetchApi: { fetch },
  });
  return { client, fetch };
}

describe('InsightsClient', () => {
  it("reads a team's figures for the weeks asked for", async () => {
    const body = {
      team: PAYMENTS,
      teams: [PAYMENTS],
      weeks: weeksOf(payments, 4),
      github: { configured: true, complete: true },
    };
    const { client, fetch } = setup(json(200, body));

    await expect(
      client.getFigures({ weeks: 4, team: PAYMENTS }),
    ).resolves.toEqual(JSON.parse(JSON.stringify(body)));
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage:7007/api/insights/figures?weeks=4&team=group%3Adefault%2Fpayments-team',
    );
  });

  it('leaves out what was not asked for', async () => {
    const { client, fetch } = setup(
      json(200, {
        teams: [],
        weeks: [],
        github: { configured: false, complete: false },
      }),
    );

    await client.getFigures();
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage:7007/api/insights/figures',
    );
  });

  it("fails with the backend's error", async () => {
    const { client } = setup(
      json(
        400,
        {
          error: {
            name: 'InputError',
            message: 'weeks must be between 1 and 52',
          },
          response: { statusCode: 400 },
        },
        'Bad Request',
      ),
    );

    const error = await client.getFigures({ weeks: 99 }).catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.cause).toMatchObject({
      name: 'InputError',
      message: 'weeks must be between 1 and 52',
    });
  });
});
