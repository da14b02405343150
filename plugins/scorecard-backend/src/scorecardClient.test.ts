import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ScorecardClient } from '@internal/plugin-scorecard-node';
import { sampleCatalog } from './__testUtils__/sampleCatalog';
import scorecardPlugin from './index';

jest.setTimeout(60_000);

// Another backend plugin, as insights is: it reads the scorecard through the client.
function readerPlugin(clients: ScorecardClient[]) {
  return createBackendPlugin({
    pluginId: 'reader',
    register(env) {
      env.registerInit({
        deps: { discovery: coreServices.discovery, auth: coreServices.auth },
        async init({ discovery, auth }) {
          clients.push(ScorecardClient.create({ discovery, auth }));
        },
      });
    },
  });
}

describe('ScorecardClient against the scorecard plugin', () => {
  const clients: ScorecardClient[] = [];
  beforeAll(async () => {
    await startTestBackend({
      features: [
        scorecardPlugin,
        readerPlugin(clients),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
        catalogServiceMock.factory({ entities: sampleCatalog }),
      ],
    });
  });

  it('reads the rules, the levels and the trend of one owner with a plugin token', async () => {
    const [client] = clients;
    const rules = await client.rules();
    expect(rules.levels.map(l => l.id)).toEqual(['bronze', 'silver', 'gold']);
    expect(rules.gateLevel).toBe('gold');

    const levels = await client.levels();
    expect(levels.items).toContainEqual({
      entityRef: 'component:default/payments-api',
      owner: 'group:default/payments-team',
      level: 'gold',
      firstDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      firstLevel: 'gold',
    });

    const trend = await client.trend({ owner: 'group:default/payments-team' });
    expect(trend.trend).toEqual([
      expect.objectContaining({ entities: 2, coverage: 1 }),
    ]);
  });

  it('throws a ResponseError with the status and the message of a refusal', async () => {
    const [client] = clients;
    const refusal = await client
      .trend({ owner: 'payments-team' })
      .catch(e => e);
    expect(refusal).toBeInstanceOf(ResponseError);
    expect(refusal.statusCode).toBe(400);
    expect(refusal.body.error.message).toContain(
      "Invalid owner 'payments-team'",
    );
  });
});

describe('ScorecardClient without the scorecard plugin', () => {
  it('throws a ResponseError with status 404', async () => {
    const clients: ScorecardClient[] = [];
    await startTestBackend({ features: [readerPlugin(clients)] });
    const missing = await clients[0].levels().catch(e => e);
    expect(missing).toBeInstanceOf(ResponseError);
    expect(missing.statusCode).toBe(404);
  });
});
