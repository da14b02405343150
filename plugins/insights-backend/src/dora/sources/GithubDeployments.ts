import { Octokit } from '@octokit/rest';
import { DeploymentFact } from '../deployments';
import { resetFrom, SourceRateLimited } from './SourceError';

// At most this many pages (of 100) of deployments per repository.
const MAX_PAGES = 10;

type HttpError = {
  status?: number;
  response?: { headers?: Record<string, string | undefined> };
};

function asHttpError(error: unknown): HttpError {
  return typeof error === 'object' && error !== null
    ? (error as HttpError)
    : {};
}

/**
 * GitHub deployments of one repository (`github.com/project-slug`) and their statuses,
 * as deployment facts: the latest final status decides (`success`, `failure`, `error`;
 * `inactive` after `success` means it was replaced or rolled back by GitHub's own
 * `auto_inactive`, which is normal and counts as success). Deployments still in
 * progress are left out.
 */
export class GithubDeployments {
  constructor(
    private readonly octokit: Octokit,
    private readonly options: { environment?: string } = {},
  ) {}

  /**
   * The deployments since `since`, newest pages first; an unknown repository gives
   * `undefined` (the caller says which service points at it).
   */
  async read(options: {
    slug: string;
    service: string;
    since: Date;
    now: Date;
  }): Promise<DeploymentFact[] | undefined> {
    const [owner, repo] = options.slug.split('/');
    const facts: DeploymentFact[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await this.call(options.now, () =>
        this.octokit.repos.listDeployments({
          owner,
          repo,
          per_page: 100,
          page,
          ...(this.options.environment && {
            environment: this.options.environment,
          }),
        }),
      ).catch(error => {
        if (asHttpError(error).status === 404) {
          return { data: undefined };
        }
        throw error;
      });
      if (!data) {
        return undefined;
      }
      let older = false;
      for (const deployment of data) {
        if (Date.parse(deployment.created_at) < options.since.getTime()) {
          older = true;
          break;
        }
        const { data: statuses } = await this.call(options.now, () =>
          this.octokit.repos.listDeploymentStatuses({
            owner,
            repo,
            deployment_id: deployment.id,
            per_page: 100,
          }),
        );
        // Newest first, as GitHub lists them.
        const final = statuses.find(s =>
          ['success', 'failure', 'error'].includes(s.state),
        );
        if (final) {
          facts.push({
            source: 'github',
            service: options.service,
            commit: deployment.sha,
            deployedAt: final.created_at,
            status: final.state as DeploymentFact['status'],
          });
        }
      }
      if (older || data.length < 100) {
        break;
      }
    }
    return facts;
  }

  private async call<T>(now: Date, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const { status, response } = asHttpError(error);
      const headers = response?.headers ?? {};
      if (
        (status === 403 && headers['x-ratelimit-remaining'] === '0') ||
        status === 429
      ) {
        throw new SourceRateLimited(
          'GitHub',
          resetFrom(now, headers['retry-after'], headers['x-ratelimit-reset']),
        );
      }
      throw error;
    }
  }
}
