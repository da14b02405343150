import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityScorecardResponse,
  RulePreviewResponse,
  ScorecardOverview,
} from '@internal/plugin-scorecard-common';
import {
  createScorecardRuleKind,
  ScorecardRuleKind,
  scorecardRuleKindsExtensionPoint,
} from '@internal/plugin-scorecard-node';
import request from 'supertest';
import scorecardPlugin from './index';

jest.setTimeout(60_000);

const TEMPLATE_VERSION = 'paved-road.io/template-version';

// A kind a team might add in its own module: the service was made from the current
// version of its golden path.
const templateVersionCurrent = createScorecardRuleKind({
  id: 'templateVersionCurrent',
  paramNames: ['version'],
  readParams: params => ({ version: params.string('version') }),
  passMessage: ({ params }) => `Made from template version ${params.version}.`,
  failure: ({ params }, entity) => {
    const version = entity.metadata.annotations?.[TEMPLATE_VERSION];
    if (!version) {
      return `Annotation ${TEMPLATE_VERSION} is missing.`;
    }
    return version === params.version
      ? undefined
      : `Made from template version ${version}, not ${params.version}.`;
  },
  entityFields: () => ['metadata.annotations'],
});

function ruleKindsModule(...kinds: ScorecardRuleKind[]) {
  return createBackendModule({
    pluginId: 'scorecard',
    moduleId: 'template-version',
    register(env) {
      env.registerInit({
        deps: { ruleKinds: scorecardRuleKindsExtensionPoint },
        async init({ ruleKinds }) {
          ruleKinds.addRuleKinds(...kinds);
        },
      });
    },
  });
}

function service(name: string, templateVersion?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: {
        ...(templateVersion && { [TEMPLATE_VERSION]: templateVersion }),
        'backstage.io/source-location': 'url:https://github.com/acme/x',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  };
}

const catalog = [
  service('fresh-api', '3'),
  service('stale-api', '2'),
  service('bare-api'),
];

const templateRule = {
  id: 'template-current',
  title: 'Current golden path',
  description: 'Made from the current version of its golden path.',
  howToFix: 'Run the template upgrade.',
  appliesTo: { kind: ['Component'] },
  kind: 'templateVersionCurrent',
  params: { version: '3' },
};

async function start(
  options: {
    rules?: object[];
    modules?: ReturnType<typeof ruleKindsModule>[];
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      scorecardPlugin,
      ...(options.modules ?? [ruleKindsModule(templateVersionCurrent)]),
      mockServices.rootConfig.factory({
        data: {
          scorecard: {
            rules: options.rules ?? [templateRule],
            levels: [
              { id: 'current', title: 'Current', rules: ['template-current'] },
            ],
          },
        },
      }),
      // The sweep runs once at startup, before the first request.
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      catalogServiceMock.factory({ entities: catalog }),
    ],
  });
  return server;
}

describe('rule kinds from backend modules', () => {
  let server: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    server = await start();
  });

  const get = (path: string) =>
    request(server)
      .get(`/api/scorecard${path}`)
      .set('authorization', mockCredentials.user.header());

  it("evaluates a configured rule of the module's kind for one entity", async () => {
    const fresh = await get('/entities/component/default/fresh-api');
    expect(fresh.status).toBe(200);
    const freshBody: EntityScorecardResponse = fresh.body;
    expect(freshBody.level).toBe('current');
    expect(freshBody.results).toEqual([
      {
        ruleId: 'template-current',
        title: 'Current golden path',
        outcome: 'pass',
        message: 'Made from template version 3.',
      },
    ]);

    const stale: EntityScorecardResponse = (
      await get('/entities/component/default/stale-api')
    ).body;
    expect(stale.level).toBeUndefined();
    expect(stale.results).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        message:
          'Made from template version 2, not 3. How to fix: Run the template upgrade.',
        howToFix: 'Run the template upgrade.',
      }),
    ]);
  });

  it('sweeps the catalog with it, reading the fields the kind asks for', async () => {
    const overview: ScorecardOverview = (await get('/overview')).body;
    expect(overview.entities).toBe(3);
    expect(overview.rules).toEqual([
      expect.objectContaining({
        ruleId: 'template-current',
        applicable: 3,
        passed: 1,
        failed: 2,
      }),
    ]);
    const rules = await get('/rules');
    expect(rules.body.rules).toEqual([templateRule]);
  });

  it('previews a proposed rule of that kind', async () => {
    const res = await request(server)
      .post('/api/scorecard/preview')
      .set('authorization', mockCredentials.user.header())
      .send({ rule: { ...templateRule, params: { version: '2' } } });
    expect(res.status).toBe(200);
    const body: RulePreviewResponse = res.body;
    expect(body).toMatchObject({ entities: 3, applicable: 3, passing: 1 });
    expect(body.failing.map(f => f.entityRef)).toEqual([
      'component:default/fresh-api',
      'component:default/bare-api',
    ]);
  });

  it("refuses to start on a rule whose params the module's kind refuses, naming the field", async () => {
    await expect(
      start({ rules: [{ ...templateRule, params: { version: 3 } }] }),
    ).rejects.toThrow(
      "Invalid scorecard rule 'template-current' field 'params.version': must be a non-empty string, got 3",
    );
    await expect(
      start({ rules: [{ ...templateRule, params: { versions: ['3'] } }] }),
    ).rejects.toThrow(
      "Invalid scorecard rule 'template-current' field 'params.versions': unknown field, expected one of version",
    );
  });

  it('refuses to start on a kind no module provides, listing those that are', async () => {
    await expect(start({ modules: [] })).rejects.toThrow(
      "Invalid scorecard rule 'template-current' field 'kind': unknown kind 'templateVersionCurrent', expected one of annotationPresent, annotationMatches, specField, linkPresent, relationResolves",
    );
  });

  it('refuses to start when a module takes the id of a kind already there', async () => {
    await expect(
      start({
        modules: [
          ruleKindsModule(templateVersionCurrent, {
            ...templateVersionCurrent,
            id: 'specField',
          }),
        ],
      }),
    ).rejects.toThrow("Scorecard rule kind 'specField' is added twice");
  });
});
