import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scorecardRuleKindsExtensionPoint } from '@internal/plugin-scorecard-node';
import {
  createTemplateVersionRuleKind,
  TemplateVersions,
} from './templateVersionRule';

/**
 * Adds the scorecard rule kind `templateVersion` (see `templateVersionRule.ts`): a
 * golden-path service on its template's current version, or at most N behind. The
 * templates' versions are read from the catalog at startup and every minute, on
 * each replica.
 */
export const scorecardModuleTemplateVersion = createBackendModule({
  pluginId: 'scorecard',
  moduleId: 'template-version',
  register(reg) {
    const versions = TemplateVersions.create();
    reg.registerInit({
      deps: {
        ruleKinds: scorecardRuleKindsExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
      },
      async init({ ruleKinds, catalog, auth, scheduler, logger }) {
        ruleKinds.addRuleKinds(createTemplateVersionRuleKind(versions));
        await scheduler.scheduleTask({
          id: 'scorecard-template-versions',
          scope: 'local',
          frequency: { minutes: 1 },
          timeout: { minutes: 1 },
          fn: () => versions.refresh({ catalog, auth, logger }),
        });
      },
    });
  },
});
