import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Octokit } from '@octokit/rest';
import {
  defaultDoraWindows,
  DeploymentFact,
  DoraWindows,
  IncidentFact,
} from './deployments';
import { ArgoCdSyncHistory } from './sources/ArgoCdSyncHistory';
import { GithubDeployments } from './sources/GithubDeployments';
import {
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  PagerDutyIncidents,
} from './sources/PagerDutyIncidents';
import { SourceRateLimited } from './sources/SourceError';

const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';
const ARGOCD_APP_ANNOTATION = 'argocd/app-name';

/** A catalog service with the annotations the sources read. */
export interface DoraService {
  name: string;
  annotations: Record<string, string>;
}

/** What was read, and the sentences saying what could not be. */
export interface DoraFacts {
  deployments: DeploymentFact[];
  incidents: IncidentFact[];
  problems: string[];
}

/**
 * Reads deployments and incidents of the services from every configured source
 * (`insights.dora`): GitHub (`github.com/project-slug`), Argo CD (`argocd/app-name`),
 * PagerDuty (`pagerduty/service-id`). One source failing or out of quota leaves the
 * others' facts, with a problem sentence; the detail goes to the log.
 */
export class DoraReader {
  private constructor(
    private readonly sources: {
      github?: GithubDeployments;
      argocd?: ArgoCdSyncHistory;
      pagerduty?: PagerDutyIncidents;
    },
    readonly windows: DoraWindows,
    private readonly logger: LoggerService,
  ) {}

  static fromConfig(
    config: Config,
    options: { logger: LoggerService; githubToken?: string },
  ): DoraReader {
    const dora = config.getOptionalConfig('insights.dora');
    const argocd = dora?.getOptionalConfig('argocd');
    const pagerduty = dora?.getOptionalConfig('pagerduty');
    return new DoraReader(
      {
        ...(options.githubToken && {
          github: new GithubDeployments(
            new Octokit({ auth: options.githubToken }),
            { environment: dora?.getOptionalString('github.environment') },
          ),
        }),
        ...(argocd && {
          argocd: new ArgoCdSyncHistory({
            baseUrl: argocd.getString('baseUrl'),
            token: argocd.getString('token'),
          }),
        }),
        ...(pagerduty && {
          pagerduty: new PagerDutyIncidents({
            token: pagerduty.getString('token'),
          }),
        }),
      },
      {
        dedupMinutes:
          dora?.getOptionalNumber('dedupWindowMinutes') ??
          defaultDoraWindows.dedupMinutes,
        failureHours:
          dora?.getOptionalNumber('failureWindowHours') ??
          defaultDoraWindows.failureHours,
      },
      options.logger,
    );
  }

  async read(options: {
    services: DoraService[];
    since: Date;
    now: Date;
  }): Promise<DoraFacts> {
    const facts: DoraFacts = { deployments: [], incidents: [], problems: [] };
    const { github, argocd, pagerduty } = this.sources;
    for (const service of options.services) {
      const slug = service.annotations[GITHUB_SLUG_ANNOTATION];
      const app = service.annotations[ARGOCD_APP_ANNOTATION];
      const pdId = service.annotations[PAGERDUTY_SERVICE_ID_ANNOTATION];
      const common = { service: service.name, since: options.since };
      await this.attempt(facts, 'GitHub', service.name, async () => {
        if (!github || !slug) {
          return;
        }
        const found = await github.read({ ...common, slug, now: options.now });
        if (!found) {
          facts.problems.push(
            `GitHub has no repository '${slug}' (${service.name}'s github.com/project-slug)`,
          );
        }
        facts.deployments.push(...(found ?? []));
      });
      await this.attempt(facts, 'Argo CD', service.name, async () => {
        if (argocd && app) {
          facts.deployments.push(
            ...(await argocd.read({ ...common, application: app })),
          );
        }
      });
      await this.attempt(facts, 'PagerDuty', service.name, async () => {
        if (pagerduty && pdId) {
          facts.incidents.push(
            ...(await pagerduty.read({
              ...common,
              serviceId: pdId,
              now: options.now,
            })),
          );
        }
      });
    }
    return facts;
  }

  private async attempt(
    facts: DoraFacts,
    source: string,
    service: string,
    fn: () => Promise<void>,
  ) {
    try {
      await fn();
    } catch (error) {
      if (error instanceof SourceRateLimited) {
        facts.problems.push(`${error.message}; the figures show what was read`);
        return;
      }
      this.logger.warn(`DORA: reading ${source} for ${service} failed`, {
        error: String(error),
      });
      facts.problems.push(`${source} could not be read for ${service}`);
    }
  }
}
