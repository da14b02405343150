import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { scorecardPermissions } from '@internal/plugin-scorecard-common';
import {
  ScorecardRuleKind,
  ScorecardRuleKindsExtensionPoint,
  scorecardRuleKindsExtensionPoint,
} from '@internal/plugin-scorecard-node';
import { createScorecard } from './createScorecard';
import { builtInRuleKinds, readScorecardConfig, RuleKinds } from './rules';

// Often enough that a changed catalog-info.yaml shows up within minutes; a sweep only
// writes what changed.
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 2 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};

/**
 * Scorecards: guardrail rules evaluated against the catalog on a schedule, levels,
 * exemptions with expiry, a deploy gate and an impact preview. Backend modules add rule
 * kinds through `scorecardRuleKindsExtensionPoint`.
 *
 * @public
 */
export const scorecardPlugin = createBackendPlugin({
  pluginId: 'scorecard',
  register(env) {
    const ruleKinds: ScorecardRuleKind[] = [];
    const extension: ScorecardRuleKindsExtensionPoint = {
      addRuleKinds(...kinds) {
        ruleKinds.push(...kinds);
      },
    };
    extension.addRuleKinds(...builtInRuleKinds);
    env.registerExtensionPoint(scorecardRuleKindsExtensionPoint, extension);

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
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        const kinds = RuleKinds.create(ruleKinds);
        // Throws with the rule and field named: a bad rule must stop the backend.
        const scorecardConfig = readScorecardConfig(config, kinds);
        const scorecard = await createScorecard({
          ...deps,
          config: scorecardConfig,
          kinds,
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
            const { entities, written, removed, notified } =
              await scorecard.sweep();
            logger.info(
              `Scorecard sweep: ${entities} entities evaluated, ${written} written, ${removed} removed, ${
                notified ?? 0
              } notifications sent, in ${Date.now() - started} ms`,
            );
          },
        });

        deps.httpRouter.use(scorecard.router);
        logger.info(
          `Scorecard: ${scorecardConfig.rules.length} rules of kinds ${kinds
            .ids()
            .join(', ')}, levels ${scorecardConfig.levels
            .map(l => l.id)
            .join(', ')}, deploy gate at ${
            scorecardConfig.gateLevel
          } (during an outage: ${scorecardConfig.gateOnOutage})`,
        );
      },
    });
  },
});
