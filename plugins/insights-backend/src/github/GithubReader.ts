import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubIntegration,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { InsightsStore } from '../database/InsightsStore';
import { GithubFacts } from '../figures/compute';

// GitHub answers are kept this long; the figures are weekly, minutes do not matter.
const CACHE_MS = 15 * 60 * 1000;
// At most this many pages (of 100) per list, so one busy repository cannot eat the quota.
const MAX_PAGES = 10;

type RepoFacts = {
  firstPullRequestAt?: string;
  merges: Array<{ mergedAt: string; deployedAt?: string }>;
};

/** Thrown when GitHub says the quota is spent; stops every further call until reset. */
class RateLimited extends Error {
  constructor(readonly resetAt: Date) {
    super(`GitHub's rate limit is reached until ${resetAt.toISOString()}`);
  }
}

function rateLimitOf(error: unknown): Date | undefined {
  const e = error as {
    status?: number;
    response?: { headers?: Record<string, string | undefined> };
  };
  const headers = e?.response?.headers ?? {};
  const exhausted =
    (e?.status === 403 && headers['x-ratelimit-remaining'] === '0') ||
    e?.status === 429;
  if (!exhausted) {
    return undefined;
  }
  const reset = Number(headers['x-ratelimit-reset']);
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(reset) && reset > 0) {
    return new Date(reset * 1000);
  }
  return new Date(
    Date.now() + (Number.isFinite(retryAfter) ? retryAfter : 60) * 1000,
  );
}

/**
 * Reads what the GitHub figures need: each repository's first pull request, merged pull
 * requests with the first successful deployment after them, and when given pull requests
 * were merged. Paged, cached, and stopping politely at the rate limit: what was read
 * until then is returned, marked incomplete.
 */
export class GithubReader {
  private blockedUntil?: Date;

  private constructor(
    private readonly integration: GithubIntegration | undefined,
    private readonly credentials: DefaultGithubCredentialsProvider,
    private readonly store: InsightsStore,
    private readonly logger: LoggerService,
  ) {}

  static fromConfig(
    config: Config,
    options: { store: InsightsStore; logger: LoggerService },
  ): GithubReader {
    const integrations = ScmIntegrations.fromConfig(config);
    const integration = integrations.github.byHost('github.com');
    const configured =
      integration &&
      (integration.config.token || integration.config.apps?.length)
        ? integration
        : undefined;
    return new GithubReader(
      configured,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      options.store,
      options.logger,
    );
  }

  configured(): boolean {
    return this.integration !== undefined;
  }

  async read(options: {
    repos: string[];
    pullRequestUrls: string[];
    since: Date;
    now: Date;
  }): Promise<{ facts: GithubFacts; complete: boolean; problem?: string }> {
    const facts: GithubFacts = {
      firstPullRequestAt: {},
      mergedAt: {},
      merges: [],
    };
    if (!this.integration) {
      return { facts, complete: false, problem: 'GitHub is not configured' };
    }
    try {
      for (const repo of options.repos) {
        const repoFacts = await this.repoFacts(
          repo,
          options.since,
          options.now,
        );
        facts.firstPullRequestAt[repo] = repoFacts.firstPullRequestAt;
        for (const merge of repoFacts.merges) {
          facts.merges.push({ repo, ...merge });
        }
      }
      for (const url of options.pullRequestUrls) {
        facts.mergedAt[url] = await this.mergedAt(url, options.now);
      }
      return { facts, complete: true };
    } catch (error) {
      if (error instanceof RateLimited) {
        this.logger.warn(
          `${error.message}; insights show what was read so far`,
        );
        return { facts, complete: false, problem: error.message };
      }
      throw error;
    }
  }

  private async octokit(owner: string, now: Date): Promise<Octokit> {
    if (this.blockedUntil && this.blockedUntil > now) {
      throw new RateLimited(this.blockedUntil);
    }
    const { token } = await this.credentials.getCredentials({
      url: `https://github.com/${owner}`,
    });
    return new Octokit({
      auth: token,
      baseUrl: this.integration!.config.apiBaseUrl ?? 'https://api.github.com',
      request: { timeout: 10_000 },
    });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const resetAt = rateLimitOf(error);
      if (resetAt) {
        this.blockedUntil = resetAt;
        throw new RateLimited(resetAt);
      }
      throw error;
    }
  }

  private async repoFacts(
    slug: string,
    since: Date,
    now: Date,
  ): Promise<RepoFacts> {
    const key = `repo:${slug}:${since.toISOString().slice(0, 10)}`;
    const cached = await this.store.cached<RepoFacts>(key, CACHE_MS, now);
    if (cached) {
      return cached;
    }
    const [owner, repo] = slug.split('/');
    const octokit = await this.octokit(owner, now);

    let firstPullRequestAt: string | undefined;
    const merged: string[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const current = page;
      const { data } = await this.call(() =>
        octokit.pulls.list({
          owner,
          repo,
          state: 'all',
          sort: 'created',
          direction: 'asc',
          per_page: 100,
          page: current,
        }),
      );
      for (const pr of data) {
        firstPullRequestAt ??= pr.created_at;
        if (pr.merged_at && Date.parse(pr.merged_at) >= since.getTime()) {
          merged.push(pr.merged_at);
        }
      }
      if (data.length < 100) {
        break;
      }
    }

    // Successful deployments, newest first, back to the window's start.
    const deployedAt: string[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const current = page;
      const { data } = await this.call(() =>
        octokit.repos.listDeployments({
          owner,
          repo,
          per_page: 100,
          page: current,
        }),
      );
      let older = false;
      for (const deployment of data) {
        if (Date.parse(deployment.created_at) < since.getTime()) {
          older = true;
          break;
        }
        const { data: statuses } = await this.call(() =>
          octokit.repos.listDeploymentStatuses({
            owner,
            repo,
            deployment_id: deployment.id,
            per_page: 100,
          }),
        );
        const success = statuses.find(s => s.state === 'success');
        if (success) {
          deployedAt.push(success.created_at);
        }
      }
      if (older || data.length < 100) {
        break;
      }
    }
    deployedAt.sort();

    const facts: RepoFacts = {
      ...(firstPullRequestAt && { firstPullRequestAt }),
      merges: merged.map(mergedAt => {
        const after = deployedAt.find(d => d >= mergedAt);
        return after ? { mergedAt, deployedAt: after } : { mergedAt };
      }),
    };
    await this.store.cache(key, facts, now);
    return facts;
  }

  private async mergedAt(url: string, now: Date): Promise<string | undefined> {
    const match = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/pull\/(\d+)$/.exec(
      url,
    );
    if (!match) {
      return undefined;
    }
    const key = `pr:${url}`;
    const cached = await this.store.cached<{ mergedAt?: string }>(
      key,
      CACHE_MS,
      now,
    );
    if (cached) {
      return cached.mergedAt;
    }
    const [, owner, repo, number] = match;
    const octokit = await this.octokit(owner, now);
    const { data } = await this.call(() =>
      octokit.pulls.get({ owner, repo, pull_number: Number(number) }),
    );
    const mergedAt = data.merged_at ?? undefined;
    await this.store.cache(key, mergedAt ? { mergedAt } : {}, now);
    return mergedAt;
  }
}
