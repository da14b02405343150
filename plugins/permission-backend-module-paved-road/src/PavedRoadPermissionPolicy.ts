import {
  BackstageUserInfo,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { scorecardExemptionApprovePermission } from '@internal/plugin-scorecard-common';

const DEFAULT_PLATFORM_GROUPS = ['group:default/platform'];

/** The tag that keeps a template to the platform team. */
export const PLATFORM_ONLY_TAG = 'platform-only';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The portal's policy. Every signed-in user may do what the paved road offers: read the
 * catalog, run golden paths, request exemptions. What changes the road itself is kept
 * for the platform team (`pavedRoad.permissions.platformGroups`): approving exemptions,
 * unregistering templates, and seeing (so running) templates tagged `platform-only`.
 * Service tokens are limited by `backend.auth.externalAccess` before any policy runs.
 *
 * @public
 */
export class PavedRoadPermissionPolicy implements PermissionPolicy {
  private constructor(
    private readonly platformGroups: Set<string>,
    private readonly userInfo: Pick<UserInfoService, 'getUserInfo'>,
  ) {}

  static fromConfig(
    config: Config,
    options: { userInfo: Pick<UserInfoService, 'getUserInfo'> },
  ): PavedRoadPermissionPolicy {
    const groups =
      config.getOptionalStringArray('pavedRoad.permissions.platformGroups') ??
      DEFAULT_PLATFORM_GROUPS;
    return new PavedRoadPermissionPolicy(
      new Set(groups.map(g => g.toLocaleLowerCase('en-US'))),
      options.userInfo,
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (isPermission(permission, scorecardExemptionApprovePermission)) {
      return (await this.isPlatform(user)) ? ALLOW : DENY;
    }
    if (isPermission(permission, catalogEntityDeletePermission)) {
      if (await this.isPlatform(user)) {
        return ALLOW;
      }
      // Templates come and go by pull request to templates/, reviewed by the platform.
      return createCatalogConditionalDecision(permission, {
        not: catalogConditions.isEntityKind({ kinds: ['Template'] }),
      });
    }
    if (isPermission(permission, catalogEntityReadPermission)) {
      if (await this.isPlatform(user)) {
        return ALLOW;
      }
      return createCatalogConditionalDecision(permission, {
        not: {
          allOf: [
            catalogConditions.isEntityKind({ kinds: ['Template'] }),
            catalogConditions.hasMetadata({
              key: 'tags',
              value: PLATFORM_ONLY_TAG,
            }),
          ],
        },
      });
    }
    return ALLOW;
  }

  private async isPlatform(user?: PolicyQueryUser): Promise<boolean> {
    if (!user) {
      return false;
    }
    let info: BackstageUserInfo;
    try {
      info = await this.userInfo.getUserInfo(user.credentials);
    } catch {
      return false;
    }
    return info.ownershipEntityRefs.some(ref =>
      this.platformGroups.has(ref.toLocaleLowerCase('en-US')),
    );
  }
}
