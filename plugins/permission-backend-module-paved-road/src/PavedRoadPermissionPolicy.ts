import {
  BackstageUserInfo,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { scorecardExemptionApprovePermission } from '@internal/plugin-scorecard-common';

const DEFAULT_PLATFORM_GROUPS = ['group:default/platform'];

// Permissions only the platform team holds.
const PLATFORM_ONLY = new Set([scorecardExemptionApprovePermission.name]);

/**
 * The portal's policy: every signed-in user may do what the paved road offers; what
 * changes the road itself is kept for the platform team (`portal.permissions.platformGroups`).
 * Service tokens are restricted by `backend.auth.externalAccess`, before any policy runs.
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
      config.getOptionalStringArray('portal.permissions.platformGroups') ??
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
    if (PLATFORM_ONLY.has(request.permission.name)) {
      return (await this.isPlatform(user))
        ? { result: AuthorizeResult.ALLOW }
        : { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
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
