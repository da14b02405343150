import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { http, HttpResponse } from 'msw';
import { GitHttpServer } from './gitHttpServer';
import { RecordedRequest, recordRequest } from './recordedRequest';

const API = 'https://api.github.com';
const DOCS = 'https://docs.github.com/rest';

export type FakePull = {
  owner: string;
  repo: string;
  number: number;
  html_url: string;
  title: string;
  body: string;
  head: { ref: string; sha?: string };
  base: { ref: string };
  state: 'open' | 'closed';
  comments: string[];
};

function notFound(docs: string) {
  return HttpResponse.json(
    {
      message: 'Not Found',
      documentation_url: `${DOCS}/${docs}`,
      status: '404',
    },
    { status: 404 },
  );
}

/**
 * GitHub as far as the portal uses it, at the HTTP layer (msw) with GitHub's request and
 * answer shapes, over real git: every repository is a bare repository served by
 * {@link GitHttpServer}, so a push lands for real, and the git data API (refs, trees,
 * commits) and the contents API work on what is there.
 */
export class FakeGithub {
  readonly requests: RecordedRequest[] = [];
  readonly pulls: FakePull[] = [];
  /** `owner/repo` of the repositories whose main is protected. */
  readonly protectedMain = new Set<string>();
  readonly git: GitHttpServer;
  private readonly root: string;

  constructor(
    private readonly options: {
      token: string;
      /** Accounts of type Organization; any other known login is a User. */
      organizations: string[];
      /** The login the token belongs to (`POST /user/repos` creates under it). */
      user: string;
    },
  ) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-github-'));
    this.git = new GitHttpServer(this.root, options.token);
  }

  async start() {
    await this.git.start();
  }

  async stop() {
    await this.git.stop();
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** Forgets every repository, pull request and request. */
  reset() {
    for (const entry of fs.readdirSync(this.root)) {
      fs.rmSync(path.join(this.root, entry), { recursive: true, force: true });
    }
    this.pulls.length = 0;
    this.requests.length = 0;
    this.protectedMain.clear();
    this.git.authorizations.length = 0;
  }

  /** Runs git in a repository's bare directory. */
  run(owner: string, repo: string, args: string[], input?: string): string {
    return execFileSync('git', args, {
      cwd: this.bare(owner, repo),
      input,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: os.tmpdir(),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: os.devNull,
        GIT_AUTHOR_NAME: 'Someone',
        GIT_AUTHOR_EMAIL: 'someone@example.com',
        GIT_COMMITTER_NAME: 'GitHub',
        GIT_COMMITTER_EMAIL: 'noreply@github.com',
      },
    }).trim();
  }

  exists(owner: string, repo: string): boolean {
    return fs.existsSync(this.bare(owner, repo));
  }

  /** A repository as GitHub creates it: no commit yet. */
  createEmptyRepository(owner: string, repo: string) {
    this.createBare(owner, repo);
  }

  /** A repository with one commit on main holding `files`. */
  seedRepository(owner: string, repo: string, files: Record<string, string>) {
    this.createBare(owner, repo);
    this.commit(owner, repo, 'main', files);
  }

  /** A commit adding `files` on `branch`, which starts from main if new. */
  commit(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string>,
  ): string {
    const head =
      this.revParse(owner, repo, branch) ?? this.revParse(owner, repo, 'main');
    const tree = this.writeTree(
      owner,
      repo,
      head,
      Object.entries(files).map(([p, content]) => ({ path: p, content })),
    );
    const commit = this.run(
      owner,
      repo,
      ['commit-tree', tree, ...(head ? ['-p', head] : []), '-F', '-'],
      `Add ${Object.keys(files).join(', ')}\n`,
    );
    this.run(owner, repo, ['update-ref', `refs/heads/${branch}`, commit]);
    return commit;
  }

  /** An open pull request from `branch`, as somebody opened it before. */
  openPull(owner: string, repo: string, branch: string, number: number) {
    const pull: FakePull = {
      owner,
      repo,
      number,
      html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
      title: `From ${branch}`,
      body: '',
      head: { ref: branch },
      base: { ref: 'main' },
      state: 'open',
      comments: [],
    };
    this.pulls.push(pull);
    return pull;
  }

  /** The file's text on `ref`, or undefined. */
  fileAt(owner: string, repo: string, ref: string, file: string) {
    try {
      return execFileSync('git', ['cat-file', 'blob', `${ref}:${file}`], {
        cwd: this.bare(owner, repo),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return undefined;
    }
  }

  handlers() {
    const authorized = (request: Request) =>
      request.headers.get('authorization') === `Bearer ${this.options.token}`;
    const guard =
      (
        handler: (args: {
          request: Request;
          params: Record<string, string | readonly string[] | undefined>;
        }) => Promise<Response> | Response,
      ) =>
      async (args: {
        request: Request;
        params: Record<string, string | readonly string[] | undefined>;
      }) => {
        await recordRequest(this.requests, args.request);
        if (!authorized(args.request)) {
          return HttpResponse.json(
            {
              message: 'Bad credentials',
              documentation_url: DOCS,
              status: '401',
            },
            { status: 401 },
          );
        }
        return handler(args);
      };
    const repoOf = (params: Record<string, unknown>) => ({
      owner: String(params.owner),
      repo: String(params.repo),
    });
    const createRepo = (
      owner: string,
      name: string,
      body: { private?: boolean },
    ) => {
      if (this.exists(owner, name)) {
        return HttpResponse.json(
          {
            message: 'Repository creation failed.',
            errors: [
              {
                resource: 'Repository',
                code: 'custom',
                field: 'name',
                message: 'name already exists on this account',
              },
            ],
            documentation_url: `${DOCS}/repos/repos#create-an-organization-repository`,
            status: '422',
          },
          { status: 422 },
        );
      }
      this.createBare(owner, name);
      return HttpResponse.json(
        {
          id: 1296269,
          name,
          full_name: `${owner}/${name}`,
          private: body.private ?? false,
          html_url: `https://github.com/${owner}/${name}`,
          clone_url: `${this.git.url}/${owner}/${name}.git`,
          default_branch: 'main',
        },
        { status: 201 },
      );
    };

    return [
      http.get(
        `${API}/users/:login`,
        guard(({ params }) => {
          const login = String(params.login);
          if (
            login !== this.options.user &&
            !this.options.organizations.includes(login)
          ) {
            return notFound('users/users#get-a-user');
          }
          return HttpResponse.json({
            login,
            id: 583231,
            type: this.options.organizations.includes(login)
              ? 'Organization'
              : 'User',
          });
        }),
      ),
      http.post(
        `${API}/orgs/:org/repos`,
        guard(async ({ request, params }) => {
          const body = (await request.json()) as {
            name: string;
            private?: boolean;
          };
          return createRepo(String(params.org), body.name, body);
        }),
      ),
      http.post(
        `${API}/user/repos`,
        guard(async ({ request }) => {
          const body = (await request.json()) as {
            name: string;
            private?: boolean;
          };
          return createRepo(this.options.user, body.name, body);
        }),
      ),
      http.put(
        `${API}/repos/:owner/:repo/branches/:branch/protection`,
        guard(({ params }) => {
          const { owner, repo } = repoOf(params);
          if (!this.revParse(owner, repo, String(params.branch))) {
            return HttpResponse.json(
              { message: 'Branch not found', status: '404' },
              { status: 404 },
            );
          }
          this.setProtection(owner, repo, true);
          return HttpResponse.json({
            url: `${API}/repos/${owner}/${repo}/branches/${params.branch}/protection`,
          });
        }),
      ),
      http.get(
        `${API}/repos/:owner/:repo`,
        guard(({ params }) => {
          const { owner, repo } = repoOf(params);
          if (!this.exists(owner, repo)) {
            return notFound('repos/repos#get-a-repository');
          }
          return HttpResponse.json(this.repositoryJson(owner, repo));
        }),
      ),
      http.patch(
        `${API}/repos/:owner/:repo`,
        guard(async ({ request, params }) => {
          const { owner, repo } = repoOf(params);
          if (!this.exists(owner, repo)) {
            return notFound('repos/repos#update-a-repository');
          }
          const body = (await request.json()) as { description?: string };
          return HttpResponse.json({
            ...this.repositoryJson(owner, repo),
            description: body.description ?? null,
          });
        }),
      ),
      http.delete(
        `${API}/repos/:owner/:repo/branches/:branch/protection`,
        guard(({ params }) => {
          const { owner, repo } = repoOf(params);
          if (!this.protectedMain.has(`${owner}/${repo}`)) {
            return HttpResponse.json(
              {
                message: 'Branch not protected',
                documentation_url: `${DOCS}/branches/branch-protection#delete-branch-protection`,
                status: '404',
              },
              { status: 404 },
            );
          }
          this.setProtection(owner, repo, false);
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.get(
        `${API}/repos/:owner/:repo/commits/:ref`,
        guard(({ params }) => {
          const { owner, repo } = repoOf(params);
          const ref = String(params.ref);
          let sha: string;
          try {
            sha = this.run(owner, repo, [
              'rev-parse',
              '--verify',
              '--quiet',
              `${ref}^{commit}`,
            ]);
          } catch {
            return HttpResponse.json(
              {
                message: `No commit found for SHA: ${ref}`,
                documentation_url: `${DOCS}/commits/commits#get-a-commit`,
                status: '422',
              },
              { status: 422 },
            );
          }
          return HttpResponse.json({
            sha,
            commit: {
              message: this.run(owner, repo, ['log', '-1', '--format=%B', sha]),
            },
          });
        }),
      ),
      http.get(
        `${API}/repos/:owner/:repo/commits`,
        guard(({ request, params }) => {
          const { owner, repo } = repoOf(params);
          if (!this.exists(owner, repo)) {
            return notFound('commits/commits#list-commits');
          }
          if (!this.revParse(owner, repo, 'main')) {
            return HttpResponse.json(
              {
                message: 'Git Repository is empty.',
                documentation_url: `${DOCS}/commits/commits#list-commits`,
                status: '409',
              },
              { status: 409 },
            );
          }
          const perPage = Number(
            new URL(request.url).searchParams.get('per_page') ?? 30,
          );
          const log = this.run(owner, repo, [
            'log',
            `--max-count=${perPage}`,
            '--format=%H%x1f%an%x1f%ae%x1f%B%x1e',
            'main',
          ]);
          return HttpResponse.json(
            log
              .split('\x1e')
              .map(entry => entry.trim())
              .filter(Boolean)
              .map(entry => {
                const [sha, name, email, message] = entry.split('\x1f');
                return {
                  sha,
                  commit: { author: { name, email }, message: message.trim() },
                };
              }),
          );
        }),
      ),
      http.get(
        `${API}/repos/:owner/:repo/pulls`,
        guard(({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const head = new URL(request.url).searchParams.get('head');
          return HttpResponse.json(
            this.pulls
              .filter(
                p =>
                  p.owner === owner &&
                  p.repo === repo &&
                  p.state === 'open' &&
                  (head === null || `${owner}:${p.head.ref}` === head),
              )
              .map(p => ({
                ...p,
                head: {
                  ...p.head,
                  sha: this.revParse(owner, repo, p.head.ref),
                },
              })),
          );
        }),
      ),
      http.post(
        `${API}/repos/:owner/:repo/pulls`,
        guard(async ({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const body = (await request.json()) as {
            title: string;
            body: string;
            head: string;
            base: string;
          };
          const pull = this.openPull(
            owner,
            repo,
            body.head,
            this.pulls.length + 42,
          );
          Object.assign(pull, {
            title: body.title,
            body: body.body,
            base: { ref: body.base },
          });
          return HttpResponse.json(pull, { status: 201 });
        }),
      ),
      http.patch(
        `${API}/repos/:owner/:repo/pulls/:number`,
        guard(async ({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const pull = this.pulls.find(
            p =>
              p.owner === owner &&
              p.repo === repo &&
              p.number === Number(params.number),
          );
          if (!pull) {
            return notFound('pulls/pulls#update-a-pull-request');
          }
          const body = (await request.json()) as { state?: 'open' | 'closed' };
          pull.state = body.state ?? pull.state;
          return HttpResponse.json(pull);
        }),
      ),
      http.post(
        `${API}/repos/:owner/:repo/issues/:number/comments`,
        guard(async ({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const pull = this.pulls.find(
            p =>
              p.owner === owner &&
              p.repo === repo &&
              p.number === Number(params.number),
          );
          if (!pull) {
            return notFound('issues/comments#create-an-issue-comment');
          }
          const body = (await request.json()) as { body: string };
          pull.comments.push(body.body);
          return HttpResponse.json({ id: 1, body: body.body }, { status: 201 });
        }),
      ),
      http.delete(
        `${API}/repos/:owner/:repo/git/refs/heads/*`,
        guard(({ params }) => {
          const { owner, repo } = repoOf(params);
          const branch = String(params[0]);
          if (!this.revParse(owner, repo, branch)) {
            return HttpResponse.json(
              {
                message: 'Reference does not exist',
                documentation_url: `${DOCS}/git/refs#delete-a-reference`,
                status: '422',
              },
              { status: 422 },
            );
          }
          this.run(owner, repo, ['update-ref', '-d', `refs/heads/${branch}`]);
          return new HttpResponse(null, { status: 204 });
        }),
      ),
      http.get(
        `${API}/repos/:owner/:repo/contents/*`,
        guard(({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const file = String(params[0]);
          const ref = new URL(request.url).searchParams.get('ref') ?? 'main';
          const content = this.fileAt(owner, repo, ref, file);
          if (content === undefined) {
            return notFound('repos/contents#get-repository-content');
          }
          return HttpResponse.json({
            type: 'file',
            encoding: 'base64',
            path: file,
            // GitHub wraps base64 at 60 characters
            content: Buffer.from(content)
              .toString('base64')
              .replace(/(.{60})/g, '$1\n'),
            sha: this.run(owner, repo, ['rev-parse', `${ref}:${file}`]),
          });
        }),
      ),
      http.get(
        `${API}/repos/:owner/:repo/git/ref/heads/*`,
        guard(({ params }) => {
          const { owner, repo } = repoOf(params);
          const branch = String(params[0]);
          const sha = this.revParse(owner, repo, branch);
          if (!sha) {
            return notFound('git/refs#get-a-reference');
          }
          return HttpResponse.json({
            ref: `refs/heads/${branch}`,
            object: { sha, type: 'commit' },
          });
        }),
      ),
      http.get(
        `${API}/repos/:owner/:repo/git/commits/:sha`,
        guard(({ params }) => {
          const { owner, repo } = repoOf(params);
          const sha = String(params.sha);
          return HttpResponse.json({
            sha,
            tree: {
              sha: this.run(owner, repo, ['rev-parse', `${sha}^{tree}`]),
            },
          });
        }),
      ),
      http.post(
        `${API}/repos/:owner/:repo/git/trees`,
        guard(async ({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const body = (await request.json()) as {
            base_tree: string;
            tree: Array<{ path: string; content?: string; sha?: null }>;
          };
          const sha = this.writeTree(owner, repo, body.base_tree, body.tree);
          return HttpResponse.json({ sha, truncated: false }, { status: 201 });
        }),
      ),
      http.post(
        `${API}/repos/:owner/:repo/git/commits`,
        guard(async ({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const body = (await request.json()) as {
            message: string;
            tree: string;
            parents: string[];
            author?: { name: string; email: string };
          };
          const sha = execFileSync(
            'git',
            [
              'commit-tree',
              body.tree,
              ...body.parents.flatMap(p => ['-p', p]),
              '-F',
              '-',
            ],
            {
              cwd: this.bare(owner, repo),
              input: body.message,
              encoding: 'utf8',
              env: {
                PATH: process.env.PATH,
                HOME: os.tmpdir(),
                GIT_AUTHOR_NAME: body.author?.name ?? 'GitHub',
                GIT_AUTHOR_EMAIL: body.author?.email ?? 'noreply@github.com',
                GIT_COMMITTER_NAME: 'GitHub',
                GIT_COMMITTER_EMAIL: 'noreply@github.com',
              },
            },
          ).trim();
          return HttpResponse.json(
            { sha, tree: { sha: body.tree }, message: body.message },
            { status: 201 },
          );
        }),
      ),
      http.post(
        `${API}/repos/:owner/:repo/git/refs`,
        guard(async ({ request, params }) => {
          const { owner, repo } = repoOf(params);
          const body = (await request.json()) as { ref: string; sha: string };
          if (
            this.revParse(owner, repo, body.ref.replace(/^refs\/heads\//, ''))
          ) {
            return HttpResponse.json(
              {
                message: 'Reference already exists',
                documentation_url: `${DOCS}/git/refs#create-a-reference`,
                status: '422',
              },
              { status: 422 },
            );
          }
          this.run(owner, repo, ['update-ref', body.ref, body.sha, '']);
          return HttpResponse.json(
            { ref: body.ref, object: { sha: body.sha, type: 'commit' } },
            { status: 201 },
          );
        }),
      ),
    ];
  }

  private repositoryJson(owner: string, repo: string) {
    return {
      id: 1,
      name: repo,
      full_name: `${owner}/${repo}`,
      private: true,
      default_branch: 'main',
      html_url: `https://github.com/${owner}/${repo}`,
      clone_url: `${this.git.url}/${owner}/${repo}.git`,
    };
  }

  /** A protected main refuses force pushes, as GitHub's does. */
  private setProtection(owner: string, repo: string, on: boolean) {
    if (on) {
      this.protectedMain.add(`${owner}/${repo}`);
    } else {
      this.protectedMain.delete(`${owner}/${repo}`);
    }
    this.run(owner, repo, [
      'config',
      'receive.denyNonFastForwards',
      String(on),
    ]);
  }

  private bare(owner: string, repo: string): string {
    return path.join(this.root, owner, `${repo}.git`);
  }

  private createBare(owner: string, repo: string) {
    fs.mkdirSync(this.bare(owner, repo), { recursive: true });
    this.run(owner, repo, [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
    ]);
  }

  private revParse(owner: string, repo: string, branch: string) {
    try {
      return this.run(owner, repo, [
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}`,
      ]);
    } catch {
      return undefined;
    }
  }

  /** A tree: `base` (a tree or commit, if any) with `files` added or replaced. */
  private writeTree(
    owner: string,
    repo: string,
    base: string | undefined,
    /** A file with `sha: null` (and no content) is removed, as GitHub does. */
    files: Array<{ path: string; content?: string; sha?: null }>,
  ): string {
    const index = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'fake-github-index-')),
      'index',
    );
    const withIndex = (args: string[], input?: string) =>
      execFileSync('git', args, {
        cwd: this.bare(owner, repo),
        input,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: os.tmpdir(),
          GIT_INDEX_FILE: index,
        },
      }).trim();
    try {
      if (base) {
        withIndex(['read-tree', base]);
      }
      for (const file of files) {
        if (file.sha === null) {
          // mode 0 removes the entry (a bare repository has no work tree for --remove)
          withIndex(
            ['update-index', '--index-info'],
            `0 ${'0'.repeat(40)}\t${file.path}\n`,
          );
          continue;
        }
        const blob = withIndex(['hash-object', '-w', '--stdin'], file.content);
        withIndex([
          'update-index',
          '--add',
          '--cacheinfo',
          `100644,${blob},${file.path}`,
        ]);
      }
      return withIndex(['write-tree']);
    } finally {
      fs.rmSync(path.dirname(index), { recursive: true, force: true });
    }
  }
}
