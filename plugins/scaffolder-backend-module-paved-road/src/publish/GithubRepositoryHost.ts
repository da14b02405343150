import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { GithubApi, refused } from './githubApi';
import {
  closePullRequest,
  encodePath,
  listPullRequests,
  openPullRequest,
} from './githubPullRequests';
import {
  DEFAULT_BRANCH,
  protectDefaultBranch,
  pushFirstCommit,
  REPOSITORY_SETTINGS,
} from './githubPublish';
import {
  CatalogLocation,
  ChangeProposal,
  ChangeRequest,
  PublishedRepository,
  PublishRequest,
  RepositoryExistsError,
  RepositoryHistory,
  RepositoryHost,
  RepositoryRef,
  RepositoryView,
  withTaskTrailer,
} from './RepositoryHost';

/** What GitHub says about a repository, as far as publishing needs it. */
type GithubRepository = {
  clone_url: string;
  html_url: string;
  default_branch: string;
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

  async createRepository(
    request: PublishRequest,
  ): Promise<PublishedRepository> {
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
      throw new RepositoryExistsError(
        `A repository named '${owner}/${name}' already exists on ${repo.host}`,
      );
    }
    if (!res.ok) {
      throw await refused(res, `create the repository ${owner}/${name}`);
    }
    const created = (await res.json()) as GithubRepository;
    logger.info(`Created the private repository ${created.html_url}`);
    return this.pushAndProtect(request, created, false);
  }

  /** Pushes the first commit (over what `main` had, with `force`) and protects `main`. */
  private async pushAndProtect(
    request: PublishRequest,
    github: GithubRepository,
    force: boolean,
  ): Promise<PublishedRepository> {
    const { repo, logger } = request;
    const commitHash = await pushFirstCommit({
      remoteUrl: github.clone_url,
      token: await this.api(repo).token(repo.owner, repo.name),
      sourceDir: request.sourceDir,
      author: this.author,
      message: withTaskTrailer(this.initialCommitMessage, request.taskId),
      force,
    });
    logger.info(`Pushed ${DEFAULT_BRANCH} (commit ${commitHash})`);
    await protectDefaultBranch(this.api(repo), repo, logger);
    return this.published(repo, github, commitHash);
  }

  private published(
    repo: RepositoryRef,
    github: GithubRepository,
    commitHash: string,
  ): PublishedRepository {
    return {
      summary: this.plannedRepository(repo).summary,
      remoteUrl: github.clone_url,
      repoContentsUrl: `${github.html_url}/blob/${DEFAULT_BRANCH}`,
      commitHash,
    };
  }

  private async repository(repo: RepositoryRef): Promise<GithubRepository> {
    const res = await this.api(repo).repo(repo.owner, repo.name, '');
    if (!res.ok) {
      throw await refused(
        res,
        `read the repository ${repo.owner}/${repo.name}`,
      );
    }
    return (await res.json()) as GithubRepository;
  }

  async history(repo: RepositoryRef): Promise<RepositoryHistory> {
    const res = await this.api(repo).repo(
      repo.owner,
      repo.name,
      '/commits?per_page=2',
    );
    if (res.status === 404) {
      return { state: 'absent' };
    }
    // "Git Repository is empty."
    if (res.status === 409) {
      return { state: 'empty' };
    }
    if (!res.ok) {
      throw await refused(
        res,
        `list the commits of ${repo.owner}/${repo.name}`,
      );
    }
    const commits = (await res.json()) as Array<{
      sha: string;
      commit: { message: string };
    }>;
    return {
      state: 'commits',
      commits: commits.map(c => ({ hash: c.sha, message: c.commit.message })),
    };
  }

  async replaceRepository(
    request: PublishRequest,
  ): Promise<PublishedRepository> {
    const { repo } = request;
    const api = this.api(repo);
    // main is protected against force pushes; it is protected again right after
    const lifted = await api.repo(
      repo.owner,
      repo.name,
      `/branches/${DEFAULT_BRANCH}/protection`,
      { method: 'DELETE' },
    );
    if (!lifted.ok && lifted.status !== 404) {
      throw await refused(lifted, `lift the protection of ${DEFAULT_BRANCH}`);
    }
    const updated = await api.repo(repo.owner, repo.name, '', {
      method: 'PATCH',
      body: { description: request.description ?? '' },
    });
    if (!updated.ok) {
      throw await refused(
        updated,
        `update the repository ${repo.owner}/${repo.name}`,
      );
    }
    return this.pushAndProtect(
      request,
      (await updated.json()) as GithubRepository,
      true,
    );
  }

  async completeRepository(request: {
    repo: RepositoryRef;
    commitHash: string;
    logger: LoggerService;
  }): Promise<PublishedRepository> {
    const github = await this.repository(request.repo);
    await protectDefaultBranch(
      this.api(request.repo),
      request.repo,
      request.logger,
    );
    return this.published(request.repo, github, request.commitHash);
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
    return { name: (await this.repository(repo)).default_branch };
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

  async commitMessage(
    repo: RepositoryRef,
    ref: string,
  ): Promise<string | undefined> {
    const res = await this.api(repo).repo(
      repo.owner,
      repo.name,
      `/commits/${encodeURIComponent(ref)}`,
    );
    if (res.status === 404 || res.status === 422) {
      return undefined;
    }
    if (!res.ok) {
      throw await refused(
        res,
        `read the commit ${ref} of ${repo.owner}/${repo.name}`,
      );
    }
    return ((await res.json()) as { commit: { message: string } }).commit
      .message;
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

  listChangeRequests(repo: RepositoryRef, prefix: string) {
    return listPullRequests(this.api(repo), repo, prefix);
  }

  closeChangeRequest(repo: RepositoryRef, pr: ChangeRequest, reason: string) {
    return closePullRequest(this.api(repo), repo, pr, reason);
  }

  fileUrl(repo: RepositoryRef, branch: string, filePath: string): string {
    return `${this.webUrl(repo)}/blob/${branch}/${filePath}`;
  }
}
