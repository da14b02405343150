import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PavedRoadPermissionPolicy } from './PavedRoadPermissionPolicy';

/**
 * Installs {@link PavedRoadPermissionPolicy} as the permission backend's policy.
 *
 * @public
 */
export const permissionModulePavedRoad = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-road-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        policy: policyExtensionPoint,
      },
      async init({ config, userInfo, policy }) {
        policy.setPolicy(
          PavedRoadPermissionPolicy.fromConfig(config, { userInfo }),
        );
      },
    });
  },
});
