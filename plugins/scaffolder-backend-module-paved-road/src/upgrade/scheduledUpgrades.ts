import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RepositoryRef } from '../publish/RepositoryHost';
import { RenderContext } from '../skeletons/SkeletonRenderer';
import { TEMPLATE_ANNOTATION, TEMPLATE_VERSION_ANNOTATION } from './answers';
import { UpgradeSchedule } from './upgradeConfig';
import { UpgradeEngine, upgradeService } from './upgradeService';

const SLUG_ANNOTATION = 'github.com/project-slug';
const GITHUB_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/;
export const UPGRADES_TASK_ID = 'paved-road-template-upgrades';

/** A service behind its template's current version. */
export type BehindService = {
  entityRef: string;
  template: string;
  version: number;
  current: number;
  repo: RepositoryRef;
};

/** What one run found and did. */
export type UpgradeRunReport = {
  dryRun: boolean;
  /** Services behind their template's current version, by entity ref. */
  behind: number;
  /** Opened in this run (in a dry run: would be opened). */
  opened: { entityRef: string; url: string; branch: string }[];
  /** Behind, with the upgrade open already: nothing new. */
  open: { entityRef: string; url: string }[];
  failed: { entityRef: string; error: string }[];
  /** Behind and not looked at: the batch was full. Next run. */
  deferred: string[];
};

/** The repository of a service, from its `github.com/project-slug` annotation. */
export function serviceRepository(entity: Entity): RepositoryRef | undefined {
  const slug = entity.metadata.annotations?.[SLUG_ANNOTATION] ?? '';
  const [owner, name, ...rest] = slug.split('/');
  if (
    rest.length > 0 ||
    !GITHUB_NAME.test(owner) ||
    !GITHUB_NAME.test(name ?? '')
  ) {
    return undefined;
  }
  return { host: 'github.com', owner, name };
}

/**
 * Proposes template upgrades for the services the catalog says are behind their
 * template's current version (their `paved-road.io/template-version` annotation), at most
 * `batchSize` new ones per run so a new template version does not open hundreds of pull
 * requests at once. A service whose upgrade is open already costs one look-up and does
 * not count towards the batch; one that fails is logged and the run goes on.
 */
export class ScheduledUpgrades {
  static create(deps: {
    engine: UpgradeEngine;
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
  }): ScheduledUpgrades {
    return new ScheduledUpgrades(deps);
  }

  private constructor(
    private readonly deps: {
      engine: UpgradeEngine;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** The services behind, sorted by entity ref (a stable order across runs). */
  async behind(): Promise<BehindService[]> {
    const { catalog, auth, engine, logger } = this.deps;
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Component' },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const currents = new Map<string, number | undefined>();
    const behind: BehindService[] = [];
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity);
      const annotations = entity.metadata.annotations ?? {};
      const template = annotations[TEMPLATE_ANNOTATION];
      if (!template) {
        continue;
      }
      const version = Number(annotations[TEMPLATE_VERSION_ANNOTATION]);
      if (!currents.has(template)) {
        currents.set(template, await engine.sources.currentVersion(template));
      }
      const current = currents.get(template);
      if (
        current === undefined ||
        !Number.isInteger(version) ||
        version >= current
      ) {
        continue;
      }
      const repo = serviceRepository(entity);
      if (!repo) {
        logger.warn(
          `Template upgrades: ${entityRef} is on ${template} version ${version} of ${current}, but has no '${SLUG_ANNOTATION}' annotation naming its repository; skipped`,
        );
        continue;
      }
      behind.push({ entityRef, template, version, current, repo });
    }
    return behind.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  }

  /** One run: at most `batchSize` upgrades opened (or, in a dry run, listed). */
  async run(options: {
    batchSize: number;
    dryRun: boolean;
  }): Promise<UpgradeRunReport> {
    const { engine, logger } = this.deps;
    const behind = await this.behind();
    const report: UpgradeRunReport = {
      dryRun: options.dryRun,
      behind: behind.length,
      opened: [],
      open: [],
      failed: [],
      deferred: [],
    };
    const verb = options.dryRun ? 'would open' : 'opened';
    for (const service of behind) {
      if (report.opened.length >= options.batchSize) {
        report.deferred.push(service.entityRef);
        continue;
      }
      const { entityRef, template, version, current, repo } = service;
      const what = `${entityRef} (${template} version ${version} to ${current})`;
      const ctx = await jobContext(logger);
      try {
        const outcome = await upgradeService(engine, {
          repo,
          ctx: ctx.context,
          dryRun: options.dryRun,
        });
        if (outcome.state === 'up-to-date') {
          // merged since the catalog last read catalog-info.yaml
          logger.info(`Template upgrades: ${entityRef} is up to date already`);
        } else if (outcome.created) {
          report.opened.push({
            entityRef,
            url: outcome.url,
            branch: outcome.branch,
          });
          logger.info(
            `Template upgrades: ${verb} the upgrade of ${what} at ${
              outcome.url
            }${
              outcome.conflicts.length > 0
                ? `, with conflicts in ${outcome.conflicts.join(', ')}`
                : ''
            }`,
          );
        } else {
          report.open.push({ entityRef, url: outcome.url });
          logger.info(
            `Template upgrades: the upgrade of ${what} is open at ${outcome.url}`,
          );
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failed.push({ entityRef, error: message });
        logger.warn(`Template upgrades: could not upgrade ${what}: ${message}`);
      } finally {
        await ctx.cleanup();
      }
    }
    logger.info(
      `Template upgrades${options.dryRun ? ' (dry run)' : ''}: ${
        report.behind
      } services behind, ${verb} ${report.opened.length}, ${
        report.open.length
      } open already, ${report.failed.length} failed, ${
        report.deferred.length
      } left for the next run`,
    );
    return report;
  }
}

/**
 * What the skeleton renderer needs of a scaffolder action's context, outside a task: a
 * scratch workspace and temporary directories below it, removed by `cleanup`.
 */
async function jobContext(logger: LoggerService) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-road-upgrades-'));
  const workspacePath = path.join(root, 'workspace');
  await fs.mkdir(workspacePath);
  const context: RenderContext = {
    logger,
    workspacePath,
    task: { id: UPGRADES_TASK_ID },
    isDryRun: false,
    createTemporaryDirectory: () => fs.mkdtemp(path.join(root, 'tmp-')),
    checkpoint: async ({ fn }) => fn(),
    getInitiatorCredentials: () => {
      throw new Error('Scheduled template upgrades run as no user');
    },
  };
  return {
    context,
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
}

/**
 * Schedules the runs when `pavedRoad.upgrades.schedule.enabled`: a global task, so one
 * replica runs it at a time. Returns the job (for a dry run's report), or undefined.
 */
export async function scheduleTemplateUpgrades(options: {
  schedule: UpgradeSchedule;
  scheduler: SchedulerService;
  upgrades: ScheduledUpgrades | undefined;
  logger: LoggerService;
}): Promise<void> {
  const { schedule, scheduler, upgrades, logger } = options;
  if (!schedule.enabled) {
    return;
  }
  if (!upgrades) {
    logger.warn(
      'Template upgrades: pavedRoad.upgrades.schedule is enabled, but this portal cannot propose upgrades (see the line above on the git history of its skeletons); nothing is scheduled',
    );
    return;
  }
  await scheduler.scheduleTask({
    id: UPGRADES_TASK_ID,
    scope: 'global',
    frequency: schedule.frequency,
    timeout: schedule.timeout,
    initialDelay: { minutes: 1 },
    fn: async () => {
      await upgrades.run({
        batchSize: schedule.batchSize,
        dryRun: schedule.dryRun,
      });
    },
  });
  logger.info(
    `Template upgrades: scheduled every ${JSON.stringify(
      schedule.frequency,
    )}, at most ${schedule.batchSize} per run${
      schedule.dryRun ? ', dry run (logged, nothing opened)' : ''
    }`,
  );
}
