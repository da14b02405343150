import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { ForwardedError, ResponseError } from '@backstage/errors';

const TIMEOUT_MS = 15_000;

async function failed(res: Response, what: string): Promise<Error> {
  return new ForwardedError(
    `GitHub refused to ${what}`,
    await ResponseError.fromResponse(res),
  );
}

/** An open pull request, as much of it as the portal reports. */
export type OpenPullRequest = { number: number; url: string };

/**
 * The two questions an idempotent request asks GitHub before opening a pull request:
 * is one open from this branch, and what does the branch hold at a path.
 */
export class GithubPullRequests {
  static create(options: {
    integrations: ScmIntegrationRegistry;
    credentialsProvider: GithubCredentialsProvider;
    host: string;
  }): GithubPullRequests {
    const integration = options.integrations.github.byHost(options.host);
    if (!integration) {
      throw new Error(
        `No GitHub integration for ${options.host} in integrations.github`,
      );
    }
    return new GithubPullRequests(
      options.credentialsProvider,
      options.host,
      integration.config.apiBaseUrl ?? 'https://api.github.com',
    );
  }

  private constructor(
    private readonly credentialsProvider: GithubCredentialsProvider,
    private readonly host: string,
    private readonly apiBaseUrl: string,
  ) {}

  async findOpen(
    owner: string,
    repo: string,
    branch: string,
  ): Promise<OpenPullRequest | undefined> {
    const query = new URLSearchParams({
      state: 'open',
      head: `${owner}:${branch}`,
      per_page: '1',
    });
    const res = await this.get(owner, repo, `/pulls?${query}`);
    if (!res.ok) {
      throw await failed(res, `list the pull requests of ${owner}/${repo}`);
    }
    const [pull] = (await res.json()) as Array<{
      number: number;
      html_url: string;
    }>;
    return pull ? { number: pull.number, url: pull.html_url } : undefined;
  }

  async defaultBranch(owner: string, repo: string): Promise<string> {
    const res = await this.get(owner, repo, '');
    if (!res.ok) {
      throw await failed(res, `read the repository ${owner}/${repo}`);
    }
    return ((await res.json()) as { default_branch: string }).default_branch;
  }

  /** The file's text on `ref`, or undefined when it is not there. */
  async fileAt(
    owner: string,
    repo: string,
    file: string,
    ref: string,
  ): Promise<string | undefined> {
    const path = file.split('/').map(encodeURIComponent).join('/');
    const res = await this.get(
      owner,
      repo,
      `/contents/${path}?ref=${encodeURIComponent(ref)}`,
    );
    if (res.status === 404) {
      return undefined;
    }
    if (!res.ok) {
      throw await failed(res, `read ${file} on ${ref} of ${owner}/${repo}`);
    }
    const body = (await res.json()) as { content?: string; encoding?: string };
    if (body.encoding !== 'base64' || typeof body.content !== 'string') {
      return undefined;
    }
    return Buffer.from(body.content, 'base64').toString('utf8');
  }

  private async get(owner: string, repo: string, rest: string) {
    const { headers } = await this.credentialsProvider.getCredentials({
      url: `https://${this.host}/${owner}/${repo}`,
    });
    return fetch(
      `${this.apiBaseUrl}/repos/${encodeURIComponent(
        owner,
      )}/${encodeURIComponent(repo)}${rest}`,
      {
        headers: {
          Accept: 'application/vnd.github+json',
          'X-GitHub-Api-Version': '2022-11-28',
          ...headers,
        },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
    );
  }
}
