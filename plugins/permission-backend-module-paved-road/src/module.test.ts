import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import catalogBackend from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionBackend from '@backstage/plugin-permission-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test backend with the scorecard in it
import scorecardBackend from '@internal/plugin-scorecard-backend';
import permissionModule from './index';

// The whole chain for real: the catalog and the scorecard ask the permission backend,
// which runs our policy; catalog conditions are applied by the catalog itself. Only the
// sign-in is simulated: ownership is what the auth backend would put in the user token.

jest.setTimeout(120_000);

const developer = 'user:default/paula.payments';
const platform = 'user:default/pat.platform';
const ownership: Record<string, string[]> = {
  [developer]: [developer, 'group:default/payments-team'],
  [platform]: [platform, 'group:default/platform'],
};

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments-team }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata: { name: payments }
spec: { owner: payments-team }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations: { pagerduty/service-id: PABC123, cost-center: CC-1001 }
spec: { type: service, lifecycle: production, owner: payments-team, system: payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: scratch-api }
spec: { type: service, lifecycle: experimental, owner: payments-team }
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: http-service, title: HTTP service, tags: [recommended] }
spec: { type: service, owner: platform, steps: [] }
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: cluster-bootstrap, title: Bootstrap a cluster, tags: [platform-only] }
spec: { type: infrastructure, owner: platform, steps: [] }
`;

// The test auth service turns a token a plugin got on behalf of a user back into that
// user, but drops the plugin acting for them; the permission backend tells the two apart
// (a user may not ask about resources without naming one), so this keeps the actor, as
// the real auth service does. The real HTTP auth service reads tokens through it.
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.auth({ pluginId: plugin.getId() });
    const prefix = 'mock-service-token:';
    return {
      authenticate: async (token: string, options?: any) => {
        const credentials = await inner.authenticate(token, options);
        if (
          token.startsWith(prefix) &&
          inner.isPrincipal(credentials, 'user')
        ) {
          return mockCredentials.user(credentials.principal.userEntityRef, {
            actor: { subject: 'plugin:on-behalf-of' },
          });
        }
        return credentials;
      },
      isPrincipal: inner.isPrincipal.bind(inner),
      getNoneCredentials: inner.getNoneCredentials.bind(inner),
      getOwnServiceCredentials: inner.getOwnServiceCredentials.bind(inner),
      getPluginRequestToken: inner.getPluginRequestToken.bind(inner),
      getLimitedUserToken: inner.getLimitedUserToken.bind(inner),
      listPublicServiceKeys: inner.listPublicServiceKeys.bind(inner),
    } as typeof inner;
  },
});

describe('the paved-road permission policy, through the real permission backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let dir: string;

  const as = (user: string) => mockCredentials.user.header(user);

  async function listed(user: string, kind: string): Promise<string[]> {
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: `kind=${kind}`, fields: 'metadata.name' })
      .set('authorization', as(user));
    expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
    return (res.body.items as Array<{ metadata: { name: string } }>)
      .map(e => e.metadata.name)
      .sort();
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
    fs.writeFileSync(path.join(dir, 'entities.yaml'), entities);
    ({ server } = await startTestBackend({
      features: [
        permissionBackend,
        permissionModule,
        catalogBackend,
        scaffolderEntityModel,
        scorecardBackend,
        permissionsServiceFactory,
        authWithActors,
        httpAuthServiceFactory,
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            async getUserInfo(credentials: any) {
              const userEntityRef = credentials.principal.userEntityRef;
              return {
                userEntityRef,
                ownershipEntityRefs: ownership[userEntityRef] ?? [
                  userEntityRef,
                ],
              };
            },
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'System', 'Group', 'Template'] }],
              locations: [
                { type: 'file', target: path.join(dir, 'entities.yaml') },
              ],
            },
            scorecard: {
              schedule: { frequency: '1h', timeout: '1m', initialDelay: '1h' },
            },
          },
        }),
      ],
    }));
    // The catalog reads the file in the background.
    const deadline = Date.now() + 60_000;
    while ((await listed(platform, 'template')).length < 2) {
      if (Date.now() > deadline) {
        throw new Error('the catalog did not read the test entities');
      }
      await new Promise(r => setTimeout(r, 250));
    }
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows platform-only templates to the platform team only', async () => {
    expect(await listed(platform, 'template')).toEqual([
      'cluster-bootstrap',
      'http-service',
    ]);
    expect(await listed(developer, 'template')).toEqual(['http-service']);
    expect(await listed(developer, 'component')).toEqual([
      'payments-api',
      'scratch-api',
    ]);
    const direct = await request(server)
      .get('/api/catalog/entities/by-name/template/default/cluster-bootstrap')
      .set('authorization', as(developer));
    expect(direct.status).toBe(404);
  });

  it('lets only the platform team unregister templates', async () => {
    const uidOf = async (kind: string, name: string) => {
      const res = await request(server)
        .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
        .set('authorization', as(platform));
      return res.body.metadata.uid as string;
    };
    const template = await uidOf('template', 'http-service');
    const denied = await request(server)
      .delete(`/api/catalog/entities/by-uid/${template}`)
      .set('authorization', as(developer));
    expect(denied.status).toBe(403);
    const component = await request(server)
      .delete(
        `/api/catalog/entities/by-uid/${await uidOf(
          'component',
          'scratch-api',
        )}`,
      )
      .set('authorization', as(developer));
    expect(component.status).toBe(204);
    const allowed = await request(server)
      .delete(`/api/catalog/entities/by-uid/${template}`)
      .set('authorization', as(platform));
    expect(allowed.status).toBe(204);
  });

  it('lets everyone request an exemption and only the platform team approve it', async () => {
    const requested = await request(server)
      .post('/api/scorecard/exemptions')
      .set('authorization', as(developer))
      .send({
        entityRef: 'component:default/payments-api',
        ruleId: 'runbook',
        reason: 'The runbook moves to the new wiki this month',
        expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        riskSignoff: 'Paula Payments, service owner',
      });
    expect(requested.status).toBe(201);
    const id = requested.body.id;

    const denied = await request(server)
      .post(`/api/scorecard/exemptions/${id}/approve`)
      .set('authorization', as(developer))
      .send({});
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('scorecard.exemption.approve');

    const approved = await request(server)
      .post(`/api/scorecard/exemptions/${id}/approve`)
      .set('authorization', as(platform))
      .send({});
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });

  it('answers 401 to calls without credentials', async () => {
    for (const [method, route] of [
      ['get', '/api/catalog/entities'],
      ['get', '/api/scorecard/overview'],
      ['post', '/api/permission/authorize'],
    ] as const) {
      const res = await request(server)
        [method](route)
        .set('authorization', mockCredentials.none.header());
      expect([route, res.status]).toEqual([route, 401]);
    }
  });
});
