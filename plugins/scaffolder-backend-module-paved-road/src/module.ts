import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createArgoCdApplicationAction } from './actions/argocdApplication';
import { createCatalogRegisterAction } from './actions/catalogRegister';
import { createEventEmitAction } from './actions/eventEmit';
import { createInfraRequestAction } from './actions/infraRequest';
import { createKubernetesDeploymentRestartAction } from './actions/kubernetesDeploymentRestart';
import { createRepoPublishAction } from './actions/repoPublish';
import { createSkeletonRenderAction } from './actions/skeletonRender';
import { createTerraformStubAction } from './actions/terraformStub';
import { createVaultSecretRotateAction } from './actions/vaultSecretRotate';

/**
 * The Paved Road actions for the scaffolder: `argocd:app:create`,
 * `terraform:stub:create`, `portal:event:emit`, and `portal:repo:publish` with
 * `portal:catalog:register` (GitHub or local repositories, per environment) for the
 * golden paths; `portal:infra:request`, `vault:secret:rotate` and
 * `kubernetes:deployment:restart` for the self-service templates.
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
        catalog: catalogServiceRef,
        reader: coreServices.urlReader,
      },
      async init({ scaffolder, config, discovery, auth, catalog, reader }) {
        scaffolder.addActions(
          createSkeletonRenderAction({ config, reader }),
          createArgoCdApplicationAction(),
          createTerraformStubAction({ config }),
          createEventEmitAction({ config, discovery, auth }),
          createRepoPublishAction({ config }),
          createCatalogRegisterAction({ config, catalog }),
          createInfraRequestAction({ config, catalog }),
          createVaultSecretRotateAction({ config }),
          createKubernetesDeploymentRestartAction({ config }),
        );
      },
    });
  },
});
