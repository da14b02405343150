import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scorecardPermissions } from '@internal/plugin-scorecard-common';
import { ScorecardStore } from './database/ScorecardStore';
import { readScorecardConfig } from './rules';
import { ScorecardService } from './scoring/ScorecardService';
import { createRouter } from './service/router';

// Often enough that a changed catalog-info.yaml shows up within minutes; a sweep only
// writes what changed.
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 2 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};

/**
 * Scorecards: guardrail rules evaluated against the catalog on a schedule, levels,
 * exemptions with expiry, a deploy gate and an impact preview.
 *
 * @public
 */
export const scorecardPlugin = createBackendPlugin({
  pluginId: 'scorecard',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        // Throws with the rule and field named: a bad rule must stop the backend.
        const scorecardConfig = readScorecardConfig(config);
        const store = await ScorecardStore.create({ database: deps.database });
        const service = ScorecardService.create({
          config: scorecardConfig,
          catalog: deps.catalog,
          auth: deps.auth,
          store,
        });
        deps.permissionsRegistry.addPermissions(scorecardPermissions);

        const schedule = config.has('scorecard.schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              config.getConfig('scorecard.schedule'),
            )
          : DEFAULT_SCHEDULE;
        await scheduler.scheduleTask({
          id: 'scorecard-sweep',
          scope: 'global',
          ...schedule,
          fn: async () => {
            const started = Date.now();
            const { entities, written, removed } = await service.sweep();
            logger.info(
              `Scorecard sweep: ${entities} entities evaluated, ${written} written, ${removed} removed, in ${
                Date.now() - started
              } ms`,
            );
          },
        });

        deps.httpRouter.use(
          await createRouter({
            service,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
            previewsPerMinute: scorecardConfig.previewsPerMinute,
          }),
        );
        logger.info(
          `Scorecard: ${
            scorecardConfig.rules.length
          } rules, levels ${scorecardConfig.levels
            .map(l => l.id)
            .join(', ')}, deploy gate at ${scorecardConfig.gateLevel}`,
        );
      },
    });
  },
});
