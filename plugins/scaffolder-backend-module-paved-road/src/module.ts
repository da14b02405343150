import os from 'node:os';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createArgoCdApplicationAction } from './actions/argocdApplication';
import { createCatalogRegisterAction } from './actions/catalogRegister';
import { createEventEmitAction } from './actions/eventEmit';
import { createInfraRequestAction } from './actions/infraRequest';
import { createKubernetesDeploymentRestartAction } from './actions/kubernetesDeploymentRestart';
import { createRepoPublishAction } from './actions/repoPublish';
import { createSkeletonRenderAction } from './actions/skeletonRender';
import { createTemplateRecordAction } from './actions/templateRecord';
import { createTemplateUpgradeAction } from './actions/templateUpgrade';
import { createTerraformStubAction } from './actions/terraformStub';
import { createVaultSecretRotateAction } from './actions/vaultSecretRotate';
import { createEventSink } from './clients/eventSinks';
import { readKubernetesClusters } from './clients/kubernetesClusters';
import { ScaffolderTasks } from './clients/scaffolderTasks';
import { TaskDowntime } from './clients/taskDowntime';
import { VaultClient } from './clients/vaultClient';
import { readPavedRoadConfig } from './config';
import { readDefaultAuthor, readInitialCommitMessage } from './git/git';
import { ChangeRequestNotifier } from './notifications/changeRequests';
import { scheduleFailedTaskNotices } from './notifications/failedTasks';
import { LocalRepositoryBrowser } from './browse/LocalRepositoryBrowser';
import { createRepositoryHost } from './publish/repositoryHosts';
import { createRepositoryRoutes } from './service/repositoryRoutes';
import { createSelfServiceRouter } from './service/selfServiceRouter';
import { createTaskRequestsMiddleware } from './service/taskRequests';
import { SelfServiceAvailability } from './selfService/capabilities';
import { SkeletonRenderer } from './skeletons/SkeletonRenderer';
import {
  scheduleTemplateUpgrades,
  ScheduledUpgrades,
} from './upgrade/scheduledUpgrades';
import { readUpgradesConfig } from './upgrade/upgradeConfig';
import { setUpUpgrades } from './upgrade/upgradeSetup';

/**
 * The Paved Road actions for the scaffolder: `argocd:app:create`,
 * `terraform:stub:create`, `portal:event:emit`, and `portal:repo:publish` with
 * `portal:catalog:register` (GitHub or local repositories, per environment) for the
 * golden paths; `portal:infra:request`, `vault:secret:rotate` and
 * `kubernetes:deployment:restart` for the self-service templates. And a middleware in
 * front of `POST /v2/tasks` and `POST /v2/dry-run` (see `service/taskRequests.ts`),
 * and `GET /paved-road/self-service/capabilities` (see `service/selfServiceRouter.ts`).
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
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
      },
      async init({
        scaffolder,
        config,
        discovery,
        auth,
        catalog,
        reader,
        database,
        httpRouter,
        httpAuth,
        logger,
        scheduler,
        notifications,
      }) {
        const pavedRoad = readPavedRoadConfig(config);
        // a failed task is told to whoever started it (see notifications/failedTasks.ts)
        await scheduleFailedTaskNotices({
          scheduler,
          database,
          notifications,
          logger,
        });
        const changes = ChangeRequestNotifier.create({ notifications, logger });
        // Modules initialize before their plugin: this runs before the scaffolder's router.
        httpRouter.use(
          createTaskRequestsMiddleware({ catalog, auth, httpAuth }),
        );
        if (pavedRoad.publish.kind === 'local') {
          // the local repositories, browsed in the portal (see service/repositoryRoutes.ts)
          httpRouter.use(
            createRepositoryRoutes({
              browser: LocalRepositoryBrowser.create(pavedRoad.publish),
              catalog,
              httpAuth,
            }),
          );
        }
        const integrations = ScmIntegrations.fromConfig(config);
        const host = createRepositoryHost({
          publish: pavedRoad.publish,
          integrations,
          author: readDefaultAuthor(config),
          initialCommitMessage: readInitialCommitMessage(config),
        });
        const clusters = readKubernetesClusters(config);
        const { contact } = pavedRoad;
        httpRouter.use(
          createSelfServiceRouter({
            availability: SelfServiceAvailability.create({
              host,
              modules: pavedRoad.terraform.modules,
              vaultConfigured: pavedRoad.vault !== undefined,
              clusters,
              contact,
              logger,
            }),
            catalog,
            httpAuth,
          }),
        );
        const skeletons = SkeletonRenderer.create({
          location: pavedRoad.skeletons,
          reader,
          integrations,
        });
        // upgrades render older skeletons from the portal's git history; without it
        // portal:template:upgrade says so (see upgrade/upgradeSetup.ts)
        const upgradesConfig = readUpgradesConfig(config);
        const upgrades = await setUpUpgrades({
          config: upgradesConfig,
          host,
          skeletons,
          integrations,
          workingDirectory:
            config.getOptionalString('backend.workingDirectory') ?? os.tmpdir(),
          logger,
        });
        await scheduleTemplateUpgrades({
          schedule: upgradesConfig.schedule,
          scheduler,
          upgrades:
            upgrades &&
            ScheduledUpgrades.create({
              engine: upgrades,
              catalog,
              auth,
              logger,
            }),
          logger,
        });
        scaffolder.addActions(
          createSkeletonRenderAction({ skeletons }),
          createTemplateRecordAction({ sources: upgrades?.sources }),
          createTemplateUpgradeAction({
            engine: upgrades,
            catalog,
            notifier: changes,
          }),
          createArgoCdApplicationAction({ argocdUrl: pavedRoad.links.argocd }),
          createTerraformStubAction({ terraform: pavedRoad.terraform }),
          createEventEmitAction({
            delivery: createEventSink(pavedRoad.events, { discovery, auth }),
            discovery,
            auth,
            downtime: TaskDowntime.create({ database }),
          }),
          createRepoPublishAction({
            host,
            integrations,
            tasks: ScaffolderTasks.create({ discovery, auth }),
            catalog,
            auth,
          }),
          createCatalogRegisterAction({ host, catalog, auth }),
          createInfraRequestAction({
            host,
            catalog,
            modules: pavedRoad.terraform.modules,
            contact,
            logger,
            notifier: changes,
          }),
          createVaultSecretRotateAction({
            vault: pavedRoad.vault && VaultClient.create(pavedRoad.vault),
            contact,
          }),
          createKubernetesDeploymentRestartAction({ clusters, contact }),
        );
      },
    });
  },
});
