import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { SchedulerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scorecardPlugin from '@internal/plugin-scorecard-backend';
import request from 'supertest';
import {
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '../upgrade/answers';
import { scorecardModuleTemplateVersion } from './module';

jest.setTimeout(60_000);

function template(name: string, version: string): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      annotations: { [TEMPLATE_VERSION_ANNOTATION]: version },
    },
    spec: { steps: [] },
  };
}

function service(name: string, made?: [string, string]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: made
        ? {
            [TEMPLATE_ANNOTATION]: made[0],
            [TEMPLATE_VERSION_ANNOTATION]: made[1],
          }
        : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  };
}

const rule = (params: object) => ({
  id: 'template-current',
  title: 'Made from the current golden path',
  description:
    "Made from its golden path's current version, with the platform's latest fixes.",
  howToFix: "Run the template 'Upgrade this service'.",
  appliesTo: { kind: ['Component'], type: ['service'] },
  kind: 'templateVersion',
  params,
});

const backends: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const backend of backends.splice(0)) {
    await backend.stop();
  }
});

async function start(params: object) {
  // the functional mock is a MockSchedulerService, typed as a SchedulerService only
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory: typeof mockServices.scheduler.factory;
  };
  const backend = await startTestBackend({
    features: [
      scorecardPlugin,
      scorecardModuleTemplateVersion,
      mockServices.rootConfig.factory({
        data: {
          scorecard: {
            rules: [rule(params)],
            levels: [
              { id: 'gold', title: 'Gold', rules: ['template-current'] },
            ],
          },
        },
      }),
      scheduler.factory({ skipTaskRunOnStartup: true }),
      catalogServiceMock.factory({
        entities: [
          template('http-service', '3'),
          template('hand-written', 'none'),
          service('fresh-api', ['http-service', '3']),
          service('one-behind', ['http-service', '2']),
          service('far-behind', ['http-service', '1']),
          service('unknown-template', ['gone-service', '1']),
          service('no-version', ['http-service', '']),
          service('hand-made'),
        ],
      }),
    ],
  });
  backends.push(backend);
  const get = async (name: string) =>
    (
      await request(backend.server)
        .get(`/api/scorecard/entities/component/default/${name}`)
        .set('authorization', mockCredentials.user.header())
    ).body.results[0];
  return { scheduler, get };
}

describe('the templateVersion scorecard rule kind (a module of the scorecard)', () => {
  it('fails a golden-path service behind its template, from the versions in the catalog', async () => {
    const { scheduler, get } = await start({});
    await scheduler.triggerTask('scorecard-template-versions');

    expect(await get('fresh-api')).toMatchObject({
      outcome: 'pass',
      message:
        'Made from the current version of its golden path, or not from a golden path.',
    });
    expect(await get('one-behind')).toMatchObject({
      outcome: 'fail',
      message:
        "Made from http-service version 2; the current one is 3 (1 version behind). How to fix: Run the template 'Upgrade this service'.",
    });
    expect(await get('no-version')).toMatchObject({
      outcome: 'fail',
      message: expect.stringContaining(
        'annotation paved-road.io/template-version does not say which version (the current one is 3)',
      ),
    });
    // nothing to keep up with, or nothing known to keep up with
    expect(await get('hand-made')).toMatchObject({ outcome: 'pass' });
    expect(await get('unknown-template')).toMatchObject({ outcome: 'pass' });
  });

  it('allows maxBehind versions', async () => {
    const { scheduler, get } = await start({ maxBehind: 1 });
    await scheduler.triggerTask('scorecard-template-versions');
    expect(await get('one-behind')).toMatchObject({ outcome: 'pass' });
    expect(await get('far-behind')).toMatchObject({
      outcome: 'fail',
      message: expect.stringMatching(
        /^Made from http-service version 1; the current one is 3 \(2 versions behind, at most 1 allowed\)\./,
      ),
    });
  });

  it('passes everything until the versions are read (no drop, no notice for what is not known)', async () => {
    const { get } = await start({});
    expect(await get('far-behind')).toMatchObject({ outcome: 'pass' });
  });

  it('refuses a wrong maxBehind at startup, naming the field', async () => {
    await expect(start({ maxBehind: -1 })).rejects.toThrow(
      "Invalid scorecard rule 'template-current' field 'params.maxBehind': must be a whole number from 0 to 100",
    );
    await expect(start({ maxBehind: '2' })).rejects.toThrow(
      "field 'params.maxBehind'",
    );
  });
});
