import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  ForwardedError,
  InputError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';

const TIMEOUT_MS = 15_000;

/** What a call does, for errors: "GitHub refused to <what>". */
export async function refused(res: Response, what: string): Promise<Error> {
  return new ForwardedError(
    `GitHub refused to ${what}`,
    await ResponseError.fromResponse(res),
  );
}

/**
 * GitHub's REST API on one host, with the credentials `integrations.github` gives for
 * the repository or owner a call is about. Answers are returned as they come; callers
 * decide what a status means.
 */
export class GithubApi {
  static create(options: {
    integrations: ScmIntegrationRegistry;
    credentialsProvider: GithubCredentialsProvider;
    host: string;
  }): GithubApi {
    const integration = options.integrations.github.byHost(options.host);
    if (!integration) {
      throw new InputError(
        `No GitHub integration for ${options.host} in integrations.github`,
      );
    }
    return new GithubApi(
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

  /** The token for `owner` (and `repo`), as git push needs it. */
  async token(owner: string, repo?: string): Promise<string> {
    const { token } = await this.credentialsProvider.getCredentials({
      url: this.scopeUrl(owner, repo),
    });
    if (!token) {
      throw new NotAllowedError(
        `No GitHub credentials for ${this.scopeUrl(
          owner,
          repo,
        )} in integrations.github`,
      );
    }
    return token;
  }

  /** `/repos/<owner>/<repo><rest>`. */
  repo(
    owner: string,
    repo: string,
    rest: string,
    init: { method?: string; body?: unknown; accept?: string } = {},
  ): Promise<Response> {
    return this.call(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}${rest}`,
      { ...init, owner, repo },
    );
  }

  /** Any API path, with the credentials for `owner` (and `repo`). */
  async call(
    apiPath: string,
    init: {
      owner: string;
      repo?: string;
      method?: string;
      body?: unknown;
      accept?: string;
    },
  ): Promise<Response> {
    const { headers } = await this.credentialsProvider.getCredentials({
      url: this.scopeUrl(init.owner, init.repo),
    });
    return fetch(`${this.apiBaseUrl}${apiPath}`, {
      method: init.method ?? 'GET',
      headers: {
        Accept: init.accept ?? 'application/vnd.github+json',
        'X-GitHub-Api-Version': '2022-11-28',
        ...(init.body === undefined
          ? {}
          : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }

  private scopeUrl(owner: string, repo?: string): string {
    return `https://${this.host}/${owner}${repo ? `/${repo}` : ''}`;
  }
}
