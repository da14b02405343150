import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  scorecardExemptionApprovePermission,
  scorecardReadPermission,
} from '@internal/plugin-scorecard-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { PavedRoadPermissionPolicy } from './PavedRoadPermissionPolicy';

// Ownership as the catalog's sign-in resolver records it in the token.
const ownership: Record<string, string[]> = {
  'user:default/pat.platform': [
    'user:default/pat.platform',
    'group:default/platform',
  ],
  'user:default/paula.payments': [
    'user:default/paula.payments',
    'group:default/payments-team',
  ],
};

const userInfo = {
  getUserInfo: async (credentials: any) => {
    const userEntityRef = credentials.principal.userEntityRef;
    const refs = ownership[userEntityRef];
    if (!refs) {
      throw new Error(`no user info for ${userEntityRef}`);
    }
    return { userEntityRef, ownershipEntityRefs: refs };
  },
};

function policy(config: object = {}) {
  return PavedRoadPermissionPolicy.fromConfig(new ConfigReader(config), {
    userInfo,
  });
}

const asUser = (ref: string) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [] },
});

describe('PavedRoadPermissionPolicy', () => {
  it('lets only the platform team approve exemptions', async () => {
    const p = policy();
    const approve = { permission: scorecardExemptionApprovePermission };
    expect(
      await p.handle(approve, asUser('user:default/pat.platform')),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await p.handle(approve, asUser('user:default/paula.payments')),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(await p.handle(approve, asUser('user:default/unknown'))).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await p.handle(approve)).toEqual({ result: AuthorizeResult.DENY });
  });

  it('takes the platform groups from config', async () => {
    const p = policy({
      pavedRoad: {
        permissions: { platformGroups: ['group:default/payments-team'] },
      },
    });
    const approve = { permission: scorecardExemptionApprovePermission };
    expect(
      (await p.handle(approve, asUser('user:default/paula.payments'))).result,
    ).toBe(AuthorizeResult.ALLOW);
    expect(
      (await p.handle(approve, asUser('user:default/pat.platform'))).result,
    ).toBe(AuthorizeResult.DENY);
  });

  it('allows every signed-in user what the paved road offers', async () => {
    const p = policy();
    const user = asUser('user:default/paula.payments');
    for (const permission of [
      scorecardReadPermission,
      createPermission({
        name: 'scaffolder.task.create',
        attributes: { action: 'create' },
      }),
    ]) {
      expect((await p.handle({ permission }, user)).result).toBe(
        AuthorizeResult.ALLOW,
      );
    }
  });

  it('hides platform-only templates from everyone but the platform team', async () => {
    const p = policy();
    const read = { permission: catalogEntityReadPermission };
    expect(await p.handle(read, asUser('user:default/paula.payments'))).toEqual(
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          not: {
            allOf: [
              {
                rule: 'IS_ENTITY_KIND',
                resourceType: 'catalog-entity',
                params: { kinds: ['Template'] },
              },
              {
                rule: 'HAS_METADATA',
                resourceType: 'catalog-entity',
                params: { key: 'tags', value: 'platform-only' },
              },
            ],
          },
        },
      },
    );
    expect(
      (await p.handle(read, asUser('user:default/pat.platform'))).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('keeps unregistering templates to the platform team', async () => {
    const p = policy();
    const remove = { permission: catalogEntityDeletePermission };
    expect(
      await p.handle(remove, asUser('user:default/paula.payments')),
    ).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        not: { rule: 'IS_ENTITY_KIND', params: { kinds: ['Template'] } },
      },
    });
    expect(
      (await p.handle(remove, asUser('user:default/pat.platform'))).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});
