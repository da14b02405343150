import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { ScorecardClient } from './api';
import { paymentsApiScorecard } from './__testUtils__/fakeScorecardApi';

function json(status: number, body: unknown, statusText = 'OK') {
  return new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
}

function setup(...responses: Response[]) {
  const fetch = jest.fn<Promise<Response>, [RequestInfo | URL, RequestInit?]>();
  for (const response of responses) {
    fetch.mockResolvedValueOnce(response);
  }
  const client = ScorecardClient.create({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage:7007' }),
    fetchApi: { fetch },
  });
  return { client, fetch };
}

describe('ScorecardClient', () => {
  it('reads the scorecard of an entity by kind, namespace and name', async () => {
    const scorecard = paymentsApiScorecard();
    const { client, fetch } = setup(json(200, scorecard));

    await expect(
      client.getEntityScorecard({
        kind: 'Component',
        namespace: 'default',
        name: 'payments-api',
      }),
    ).resolves.toEqual(scorecard);
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage:7007/api/scorecard/entities/component/default/payments-api',
      undefined,
    );
  });

  it('reports an entity the backend does not know as not evaluated', async () => {
    const { client } = setup(
      json(
        404,
        {
          error: {
            name: 'NotFoundError',
            message: "No scorecard for 'component:default/new-service'",
          },
          response: { statusCode: 404 },
        },
        'Not Found',
      ),
    );

    await expect(
      client.getEntityScorecard({
        kind: 'component',
        namespace: 'default',
        name: 'new-service',
      }),
    ).resolves.toBeUndefined();
  });

  it('asks for the daily history only when told to', async () => {
    const { client, fetch } = setup(json(200, paymentsApiScorecard()));
    await client.getEntityScorecard(
      { kind: 'Component', namespace: 'default', name: 'payments-api' },
      { history: true },
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage:7007/api/scorecard/entities/component/default/payments-api?history=true',
      undefined,
    );
  });

  it('lists the exemptions of an entity', async () => {
    const { exemptions } = paymentsApiScorecard();
    const { client, fetch } = setup(json(200, { items: exemptions }));

    await expect(
      client.listExemptions({ entityRef: 'component:default/payments-api' }),
    ).resolves.toEqual(exemptions);
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backstage:7007/api/scorecard/exemptions?entityRef=component%3Adefault%2Fpayments-api',
    );
  });

  it('lists the exemptions in one state, and all of them', async () => {
    const { exemptions } = paymentsApiScorecard();
    const { client, fetch } = setup(
      json(200, { items: exemptions }),
      json(200, { items: [] }),
    );

    await expect(
      client.listExemptions({ status: 'requested' }),
    ).resolves.toEqual(exemptions);
    await expect(client.listExemptions({})).resolves.toEqual([]);
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://backstage:7007/api/scorecard/exemptions?status=requested',
      'http://backstage:7007/api/scorecard/exemptions',
    ]);
  });

  it("lists the owners' services, one owner parameter each", async () => {
    const items = [
      {
        entityRef: 'component:default/payments-api',
        owner: 'group:default/payments-team',
        level: 'gold',
        passed: 9,
        exempt: 0,
        failed: 0,
        evaluatedAt: '2026-11-29T09:00:00.000Z',
      },
    ];
    const { client, fetch } = setup(json(200, { items }));

    await expect(
      client.listOwnedEntities([
        'user:default/paula.payments',
        'group:default/payments-team',
      ]),
    ).resolves.toEqual(items);
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backstage:7007/api/scorecard/entities?owner=user%3Adefault%2Fpaula.payments&owner=group%3Adefault%2Fpayments-team',
    );
  });

  it('reports a refused owner list with the backend message', async () => {
    const { client } = setup(
      json(
        400,
        {
          error: {
            name: 'InputError',
            message:
              "Invalid owner 'payments-team': expected kind:namespace/name",
          },
          response: { statusCode: 400 },
        },
        'Bad Request',
      ),
    );

    const error = await client.listOwnedEntities(['payments-team']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ResponseError.is(error)).toBe(true);
    expect((error as ResponseError).cause.message).toContain(
      "Invalid owner 'payments-team'",
    );
  });

  it('posts an exemption request as JSON', async () => {
    const request = {
      entityRef: 'component:default/payments-api',
      ruleId: 'sbom',
      reason: 'Gradle SBOM tooling lands next month',
      expiresAt: '2026-06-13',
      riskSignoff: 'Dana Li, head of payments',
    };
    const { client, fetch } = setup(
      json(201, { ...request, id: 'ex-9', status: 'requested' }, 'Created'),
    );

    await expect(client.requestExemption(request)).resolves.toMatchObject({
      id: 'ex-9',
      status: 'requested',
    });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backstage:7007/api/scorecard/exemptions');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual(request);
  });

  it("fails a refused decision with the backend's error", async () => {
    const { client, fetch } = setup(
      json(
        403,
        {
          error: {
            name: 'NotAllowedError',
            message: 'Only the platform team may decide on exemptions',
          },
          response: { statusCode: 403 },
        },
        'Forbidden',
      ),
    );

    const error = await client
      .approveExemption('ex-2', { comment: 'fine' })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
    expect(error.cause).toMatchObject({
      name: 'NotAllowedError',
      message: 'Only the platform team may decide on exemptions',
    });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      'http://backstage:7007/api/scorecard/exemptions/ex-2/approve',
    );
    expect(JSON.parse(String(init?.body))).toEqual({ comment: 'fine' });
  });

  it.each([
    ['rejectExemption', 'reject'],
    ['revokeExemption', 'revoke'],
  ] as const)('%s posts to /%s', async (method, path) => {
    const { client, fetch } = setup(json(200, { id: 'ex-1' }));

    await client[method]('ex-1');
    expect(fetch.mock.calls[0][0]).toBe(
      `http://backstage:7007/api/scorecard/exemptions/ex-1/${path}`,
    );
    expect(fetch.mock.calls[0][1]?.method).toBe('POST');
  });
});
