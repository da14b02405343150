import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { git } from '../git/git';
import { GithubApi, refused } from './githubApi';
import { encodePath, openPullRequest } from './githubPullRequests';
import { commitDirectory } from './localBranches';
import {
  CatalogLocation,
  ChangeProposal,
  ChangeRequest,
  PublishedRepository,
  RepositoryHost,
  RepositoryRef,
  RepositoryView,
} from './RepositoryHost';

const DEFAULT_BRANCH = 'main';

/**
 * What `publish:github` sets up for a new repository by default, which golden paths
 * have always had: merges of every kind, no auto-merge, branches kept after merging.
 */
const REPOSITORY_SETTINGS = {
  allow_auto_merge: false,
  allow_merge_commit: true,
  allow_rebase_merge: true,
  allow_squash_merge: true,
  allow_update_branch: false,
  delete_branch_on_merge: false,
  squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
  squash_merge_commit_message: 'COMMIT_MESSAGES',
};

/** `publish:github`'s default protection of the default branch: one approving review. */
const BRANCH_PROTECTION = {
  required_status_checks: { strict: true, contexts: [] },
  restrictions: null,
  enforce_admins: true,
  required_pull_request_reviews: {
    required_approving_review_count: 1,
    require_code_owner_reviews: false,
    dismiss_stale_reviews: false,
    require_last_push_approval: false,
  },
  required_conversation_resolution: false,
  required_linear_history: false,
  block_creations: false,
};

/**
 * Production's repositories: private GitHub repositories with `main` protected, and
 * pull requests for change requests, through GitHub's REST API and git push.
 */
export class GithubRepositoryHost implements RepositoryHost {
  readonly provider = 'github';
  readonly changeKind = 'pull-request';
  readonly freeReads = false;
  private readonly apis = new Map<string, GithubApi>();

  static create(options: {
    integrations: ScmIntegrationRegistry;
    /** Defaults to the credentials of `integrations.github`. */
    credentialsProvider?: GithubCredentialsProvider;
    author: { name: string; email: string };
    initialCommitMessage: string;
  }): GithubRepositoryHost {
    return new GithubRepositoryHost(
      options.integrations,
      options.credentialsProvider ??
        DefaultGithubCredentialsProvider.fromIntegrations(options.integrations),
      options.author,
      options.initialCommitMessage,
    );
  }

  private constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly credentialsProvider: GithubCredentialsProvider,
    private readonly author: { name: string; email: string },
    private readonly initialCommitMessage: string,
  ) {}

  private api(repo: RepositoryRef): GithubApi {
    let api = this.apis.get(repo.host);
    if (!api) {
      api = GithubApi.create({
        integrations: this.integrations,
        credentialsProvider: this.credentialsProvider,
        host: repo.host,
      });
      this.apis.set(repo.host, api);
    }
    return api;
  }

  private webUrl(repo: RepositoryRef): string {
    return `https://${repo.host}/${repo.owner}/${repo.name}`;
  }

  async view(repo: RepositoryRef): Promise<RepositoryView> {
    return {
      url: this.webUrl(repo),
      label: `${repo.host}/${repo.owner}/${repo.name}`,
    };
  }

  plannedRepository(repo: RepositoryRef): PublishedRepository {
    return {
      summary: `private GitHub repository ${repo.owner}/${repo.name}`,
      remoteUrl: this.webUrl(repo),
      repoContentsUrl: `${this.webUrl(repo)}/blob/${DEFAULT_BRANCH}`,
    };
  }

  async createRepository(request: {
    repo: RepositoryRef;
    description?: string;
    sourceDir: string;
    logger: LoggerService;
  }): Promise<PublishedRepository> {
    const { repo, logger } = request;
    const { owner, name } = repo;
    const api = this.api(repo);
    const account = await api.call(`/users/${encodeURIComponent(owner)}`, {
      owner,
    });
    if (!account.ok) {
      throw await refused(account, `read the account ${owner}`);
    }
    const isOrganization =
      ((await account.json()) as { type?: string }).type === 'Organization';
    const res = await api.call(
      isOrganization
        ? `/orgs/${encodeURIComponent(owner)}/repos`
        : '/user/repos',
      {
        owner,
        method: 'POST',
        body: {
          name,
          description: request.description,
          private: true,
          ...(isOrganization ? { visibility: 'private' } : {}),
          ...REPOSITORY_SETTINGS,
        },
      },
    );
    if (res.status === 422 && (await res.clone().text()).includes('exists')) {
      throw new ConflictError(
        `A repository named '${owner}/${name}' already exists on ${repo.host}`,
      );
    }
    if (!res.ok) {
      throw await refused(res, `create the repository ${owner}/${name}`);
    }
    const created = (await res.json()) as {
      clone_url: string;
      html_url: string;
    };
    logger.info(`Created the private repository ${created.html_url}`);
    const commitHash = await this.pushFirstCommit({
      remoteUrl: created.clone_url,
      token: await api.token(owner, name),
      sourceDir: request.sourceDir,
    });
    logger.info(`Pushed ${DEFAULT_BRANCH} (commit ${commitHash})`);
    await this.protectDefaultBranch(repo, logger);
    return {
      summary: this.plannedRepository(repo).summary,
      remoteUrl: created.clone_url,
      repoContentsUrl: `${created.html_url}/blob/${DEFAULT_BRANCH}`,
      commitHash,
    };
  }

  private async pushFirstCommit(options: {
    remoteUrl: string;
    token: string;
    sourceDir: string;
  }): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'publish-github-'));
    try {
      await commitDirectory({
        dir,
        sourceDir: options.sourceDir,
        author: this.author,
        message: this.initialCommitMessage,
      });
      const basic = Buffer.from(`x-access-token:${options.token}`).toString(
        'base64',
      );
      // The token goes in the environment, never on a command line others can list.
      await git(
        dir,
        [
          'push',
          '--quiet',
          options.remoteUrl,
          `HEAD:refs/heads/${DEFAULT_BRANCH}`,
        ],
        {
          env: {
            GIT_CONFIG_COUNT: '1',
            GIT_CONFIG_KEY_0: 'http.extraHeader',
            GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
          },
        },
      );
      return await git(dir, ['rev-parse', 'HEAD']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** As `publish:github` does: a failure is a warning, the repository stands. */
  private async protectDefaultBranch(
    repo: RepositoryRef,
    logger: LoggerService,
  ) {
    const protect = () =>
      this.api(repo).repo(
        repo.owner,
        repo.name,
        `/branches/${DEFAULT_BRANCH}/protection`,
        {
          method: 'PUT',
          accept: 'application/vnd.github.luke-cage-preview+json',
          body: BRANCH_PROTECTION,
        },
      );
    let res = await protect();
    if (res.status === 404) {
      // GitHub may not know the branch a moment after the push
      await sleep(600);
      res = await protect();
    }
    if (!res.ok) {
      const error = await refused(res, 'protect the default branch');
      logger.warn(
        `Skipping: default branch protection on '${repo.name}', ${error.message}`,
      );
    }
  }

  catalogLocation(
    published: { repoContentsUrl?: string },
    filePath: string,
  ): CatalogLocation {
    if (!published.repoContentsUrl) {
      throw new InputError(
        "Invalid input: field 'repoContentsUrl': required for provider 'github'",
      );
    }
    return {
      type: 'url',
      target: `${published.repoContentsUrl.replace(/\/$/, '')}${filePath}`,
    };
  }

  async defaultBranch(repo: RepositoryRef): Promise<{ name: string }> {
    const res = await this.api(repo).repo(repo.owner, repo.name, '');
    if (!res.ok) {
      throw await refused(
        res,
        `read the repository ${repo.owner}/${repo.name}`,
      );
    }
    return {
      name: ((await res.json()) as { default_branch: string }).default_branch,
    };
  }

  async findChangeRequest(
    repo: RepositoryRef,
    branch: string,
  ): Promise<ChangeRequest | undefined> {
    const query = new URLSearchParams({
      state: 'open',
      head: `${repo.owner}:${branch}`,
      per_page: '1',
    });
    const res = await this.api(repo).repo(
      repo.owner,
      repo.name,
      `/pulls?${query}`,
    );
    if (!res.ok) {
      throw await refused(
        res,
        `list the pull requests of ${repo.owner}/${repo.name}`,
      );
    }
    const [pull] = (await res.json()) as Array<{
      number: number;
      html_url: string;
    }>;
    return pull
      ? { branch, url: pull.html_url, number: pull.number }
      : undefined;
  }

  async readFile(
    repo: RepositoryRef,
    filePath: string,
    ref: string,
  ): Promise<string | undefined> {
    const res = await this.api(repo).repo(
      repo.owner,
      repo.name,
      `/contents/${encodePath(filePath)}?ref=${encodeURIComponent(ref)}`,
    );
    if (res.status === 404) {
      return undefined;
    }
    if (!res.ok) {
      throw await refused(
        res,
        `read ${filePath} on ${ref} of ${repo.owner}/${repo.name}`,
      );
    }
    const body = (await res.json()) as { content?: string; encoding?: string };
    if (body.encoding !== 'base64' || typeof body.content !== 'string') {
      return undefined;
    }
    return Buffer.from(body.content, 'base64').toString('utf8');
  }

  async openChangeRequest(
    repo: RepositoryRef,
    proposal: ChangeProposal,
  ): Promise<ChangeRequest | undefined> {
    return openPullRequest({
      api: this.api(repo),
      repo,
      base: (await this.defaultBranch(repo)).name,
      proposal,
      author: this.author,
    });
  }

  fileUrl(repo: RepositoryRef, branch: string, filePath: string): string {
    return `${this.webUrl(repo)}/blob/${branch}/${filePath}`;
  }
}
