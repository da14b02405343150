import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { scaffolderModulePavedRoad } from '../module';
import { CAPABILITIES_PATH } from './selfServiceRouter';

// The capabilities endpoint in a real scaffolder with the module, on real git repositories.

const URL_PATH = `/api/scaffolder${CAPABILITIES_PATH}`;

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments-team',
    },
  };
}

const goldenPath = {
  'github.com/project-slug': 'paved-road-demo/payments-api',
  'cost-center': 'CC-1001',
  'backstage.io/kubernetes-id': 'payments-api',
};
const entities = [
  component('payments-api', goldenPath),
  // registered by hand: a slug, but no repository on the portal host
  component('risk-scoring', {
    'github.com/project-slug': 'paved-road-demo/risk-scoring',
    'cost-center': 'CC-1002',
  }),
  component('legacy-billing', {
    'github.com/project-slug': 'paved-road-demo/legacy-billing',
  }),
];

const MODULE_SOURCE =
  'git::https://github.com/paved-road-demo/portal.git//terraform/modules/database?ref=main';

describe('GET /api/scaffolder/paved-road/self-service/capabilities', () => {
  let repos: string;

  beforeAll(() => {
    repos = fs.mkdtempSync(path.join(os.tmpdir(), 'self-service-'));
    const repo = path.join(repos, 'paved-road-demo', 'payments-api');
    fs.mkdirSync(repo, { recursive: true });
    execFileSync('git', ['init', '--quiet', repo]);
  });

  afterAll(() => {
    fs.rmSync(repos, { recursive: true, force: true });
  });

  async function backend(config: JsonObject) {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePavedRoad,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return (entityRef?: string) =>
      request(server)
        .get(URL_PATH)
        .query(entityRef === undefined ? {} : { entityRef })
        .set('Authorization', mockCredentials.user.header());
  }

  /** The embedded defaults: local repositories, no Vault, no clusters, no bucket module. */
  const embeddedConfig = (): JsonObject => ({
    pavedRoad: {
      selfService: { contact: '#platform' },
      publish: { target: 'local', local: { directory: repos } },
      terraform: {
        modules: {
          database: { source: MODULE_SOURCE },
          queue: { source: MODULE_SOURCE },
        },
      },
    },
  });

  it('offers what is set up, and says for the rest whom to ask', async () => {
    const get = await backend(embeddedConfig());

    const res = await get('component:default/payments-api');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/payments-api',
      actions: {
        database: { available: true },
        queue: { available: true },
        bucket: {
          available: false,
          reason:
            'Requesting a bucket is not set up on this portal: ask #platform.',
        },
        'secret-rotation': {
          available: false,
          reason:
            'Secret rotation is not set up on this portal: ask #platform.',
        },
      },
    });
  });

  it('offers no infra request for a service without a repository here', async () => {
    const get = await backend(embeddedConfig());

    const res = await get('risk-scoring');

    expect(res.status).toBe(200);
    const reason =
      'risk-scoring has no repository on this portal (it was not created by a golden path here), so there is nowhere to open the request: ask #platform.';
    expect(res.body.actions.database).toEqual({ available: false, reason });
    expect(res.body.actions.queue).toEqual({ available: false, reason });
  });

  it('says what a service lacks for an infra request', async () => {
    const get = await backend(embeddedConfig());

    const res = await get('component:default/legacy-billing');

    expect(res.body.actions.database).toEqual({
      available: false,
      reason:
        "component:default/legacy-billing needs a 'cost-center' annotation (letters, digits, spaces and _ . : / = + - @): the infra is tagged with its cost center.",
    });
  });

  it('offers rotation with Vault and a cluster, to a service whose pods it can find', async () => {
    const get = await backend({
      pavedRoad: {
        publish: { target: 'github' },
        terraform: { modules: { database: { source: MODULE_SOURCE } } },
        vault: { address: 'https://vault.example.com:8200', token: 'hvs.x' },
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'prod-eu-1',
                url: 'https://k8s.example.com',
                authProvider: 'serviceAccount',
                serviceAccountToken: 'sa-token',
              },
            ],
          },
        ],
      },
    });

    const payments = await get('component:default/payments-api');
    const risk = await get('component:default/risk-scoring');

    expect(payments.body.actions['secret-rotation']).toEqual({
      available: true,
    });
    expect(risk.body.actions['secret-rotation']).toEqual({
      available: false,
      reason:
        "Secret rotation restarts the service's pods, and component:default/risk-scoring has no 'backstage.io/kubernetes-id' annotation to find them by.",
    });
    // on GitHub a slug is enough: GitHub is not asked on every page view
    expect(risk.body.actions.database).toEqual({ available: true });
  });

  it('needs Vault and a cluster both for rotation', async () => {
    const get = await backend({
      pavedRoad: {
        publish: { target: 'github' },
        vault: { address: 'https://vault.example.com:8200', token: 'hvs.x' },
      },
    });

    const res = await get('component:default/payments-api');

    expect(res.body.actions['secret-rotation']).toEqual({
      available: false,
      reason:
        'Secret rotation is not set up on this portal: ask the platform team.',
    });
  });

  it.each([
    [undefined, "field 'entityRef': is required"],
    ['', "field 'entityRef': is required"],
    ['component:default/a/b', "field 'entityRef'"],
    ['component:default/Not A Name', "field 'entityRef'"],
  ])('refuses the entity reference %j with a 400', async (ref, message) => {
    const get = await backend(embeddedConfig());

    const res = await get(ref);

    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });

  it('answers 404 for a service the user cannot see', async () => {
    const get = await backend(embeddedConfig());

    const res = await get('component:default/nobody-knows');

    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      "No entity 'component:default/nobody-knows' that you can see",
    );
  });

  it('answers only signed-in users and services', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePavedRoad,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: embeddedConfig() }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });

    const res = await request(server)
      .get(URL_PATH)
      .query({ entityRef: 'component:default/payments-api' });

    expect(res.status).toBe(401);
  });
});
