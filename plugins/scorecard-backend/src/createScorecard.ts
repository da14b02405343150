import {
  AuditorService,
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import express from 'express';
import { ExemptionStore } from './database/ExemptionStore';
import { NoticeStore } from './database/NoticeStore';
import { ScorecardStore } from './database/ScorecardStore';
import { ExemptionReminders } from './notifications/ExemptionReminders';
import { ScorecardNotifier } from './notifications/ScorecardNotifier';
import { RuleKinds, ScorecardConfig } from './rules';
import { CatalogEvaluator } from './scoring/CatalogEvaluator';
import { ExemptionService } from './scoring/ExemptionService';
import { GateService } from './scoring/GateService';
import { LastSweep } from './scoring/LastSweep';
import { PreviewService } from './scoring/PreviewService';
import { ScorecardViewService } from './scoring/ScorecardViewService';
import { SweepService, SweepSummary } from './scoring/SweepService';
import { createRouter } from './service/router';

/**
 * The scorecard, assembled: the sweep to schedule and the router to mount.
 *
 * @public
 */
export interface Scorecard {
  /** Evaluates the whole catalog and stores what changed. */
  sweep(): Promise<SweepSummary>;
  /** The HTTP API, to mount at the plugin's base path. */
  router: express.Router;
}

/**
 * Assembles the scorecard from its stores (migrated here) and services. The plugin does
 * this at startup; the benchmarks do it with their own catalog, database and auth.
 *
 * @public
 */
export async function createScorecard(options: {
  /** Read by `readScorecardConfig` with the same `kinds`. */
  config: ScorecardConfig;
  /** The rule kinds in force; the built-in ones by default. */
  kinds?: RuleKinds;
  database: DatabaseService;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Where outages, and deploys let through unchecked during one, are reported. */
  logger?: LoggerService;
  /**
   * Where exemption decisions, expiring exemptions and level drops are sent; nothing is
   * sent without it.
   */
  notifications?: NotificationService;
  now?: () => Date;
}): Promise<Scorecard> {
  const { config, catalog, auth } = options;
  const kinds = options.kinds ?? RuleKinds.builtIn();
  const now = options.now ?? (() => new Date());
  const scores = await ScorecardStore.create({ database: options.database });
  const exemptions = await ExemptionStore.create({
    database: options.database,
    skipMigrations: true, // ScorecardStore.create ran them
  });
  const lastSweep = LastSweep.create({ store: scores });
  const notifier =
    options.notifications &&
    ScorecardNotifier.create({
      notifications: options.notifications,
      logger: options.logger,
      titles: {
        rule: id => config.rules.find(r => r.id === id)?.title ?? id,
        level: id => config.levels.find(l => l.id === id)?.title ?? id,
      },
    });
  const reminders =
    notifier &&
    ExemptionReminders.create({
      exemptions,
      scores,
      notices: await NoticeStore.create({
        database: options.database,
        skipMigrations: true,
      }),
      notifier,
      now,
    });
  const evaluator = CatalogEvaluator.create({
    config,
    kinds,
    catalog,
    auth,
    scores,
    exemptions,
    now,
  });
  const sweeps = SweepService.create({
    config,
    kinds,
    catalog,
    auth,
    scores,
    exemptions,
    evaluator,
    lastSweep,
    now,
    notifier,
    reminders,
  });
  const router = await createRouter({
    views: ScorecardViewService.create({
      config,
      scores,
      exemptions,
      evaluator,
      lastSweep,
      now,
    }),
    gate: GateService.create({
      config,
      auth,
      exemptions,
      evaluator,
      now,
      logger: options.logger,
    }),
    exemptions: ExemptionService.create({
      config,
      catalog,
      scores,
      exemptions,
      now,
      notifier,
    }),
    previews: PreviewService.create({ kinds, catalog, auth, evaluator }),
    httpAuth: options.httpAuth,
    permissions: options.permissions,
    auditor: options.auditor,
    logger: options.logger,
    previewsPerMinute: config.previewsPerMinute,
  });
  return { sweep: () => sweeps.sweep(), router };
}
