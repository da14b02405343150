import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createArgoCdApplicationAction } from './actions/argocdApplication';
import { createEventEmitAction } from './actions/eventEmit';
import { createTerraformStubAction } from './actions/terraformStub';

/**
 * The Paved Road actions for the scaffolder: `argocd:app:create`,
 * `terraform:stub:create` and `portal:event:emit`.
 */
export const scaffolderModulePavedRoad = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved-road',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, discovery, auth }) {
        scaffolder.addActions(
          createArgoCdApplicationAction(),
          createTerraformStubAction({ config }),
          createEventEmitAction({ config, discovery, auth }),
        );
      },
    });
  },
});
