import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parse } from 'yaml';
import { readPavedRoadConfig } from '../config';
import { createRepoPublishAction } from './repoPublish';
import { examples } from './repoPublish.examples';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { checkpointStore } from '../__testUtils__/harness';
import { publishOptions } from '../__testUtils__/pavedRoadOptions';
import {
  gitCli,
  listFiles,
  portalContext,
  writeFiles,
} from '../__testUtils__/portalContext';

const author = { name: 'Portal Bot', email: 'portal-bot@acme.example' };
const repoUrl = 'github.com?owner=acme&repo=payments-api';

const workspaceFiles = {
  'README.md': '# payments-api\n',
  'catalog-info.yaml':
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api\n',
  'src/main.ts': 'console.log("hello");\n',
  '.github/workflows/ci.yml': 'name: CI\n',
  'vendor/lib/index.js': 'module.exports = 1;\n',
};

const TOKEN = 'ghp_portal-token-do-not-log';

/** The scaffolder's tasks as its API serves them (`GET /v2/tasks/:id`). */
const scaffolderTasks = new Map<
  string,
  { status: string; createdBy?: string; owner?: string }
>();
const scaffolderApi = [
  http.get('http://localhost:0/api/scaffolder/v2/tasks/:id', ({ params }) => {
    const task = scaffolderTasks.get(String(params.id));
    if (!task) {
      return HttpResponse.json(
        {
          error: {
            name: 'NotFoundError',
            message: `Task with id ${params.id} does not exist`,
          },
        },
        { status: 404 },
      );
    }
    return HttpResponse.json({
      id: params.id,
      status: task.status,
      createdBy: task.createdBy ?? '',
      createdAt: '2026-01-05T10:00:00.000Z',
      spec: { parameters: { owner: task.owner, name: 'payments-api' } },
    });
  }),
];

describe('portal:repo:publish', () => {
  let root: string;
  let workspacePath: string;
  let reposDir: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-publish-'));
    workspacePath = path.join(root, 'workspace');
    reposDir = path.join(root, 'repos');
    writeFiles(workspacePath, workspaceFiles);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function localConfig(extra: JsonObject = {}) {
    return new ConfigReader({
      pavedRoad: {
        publish: { target: 'local', local: { directory: reposDir } },
      },
      scaffolder: { defaultAuthor: author },
      ...extra,
    });
  }

  async function publish(
    input: unknown,
    options: {
      isDryRun?: boolean;
      checkpoints?: ReturnType<typeof checkpointStore>;
      taskId?: string;
      catalog?: ReturnType<typeof catalogServiceMock>;
      logs?: string[];
    } = {},
  ) {
    const { catalog, logs, ...context } = options;
    const { ctx, outputs } = portalContext({
      input,
      workspacePath,
      ...context,
    });
    if (logs) {
      jest
        .spyOn(ctx.logger, 'info')
        .mockImplementation((message: unknown) => logs.push(String(message)));
    }
    await createRepoPublishAction(
      publishOptions(localConfig(), undefined, { catalog }),
    ).handler(ctx);
    return outputs;
  }

  describe("with target 'local'", () => {
    const localPath = () => path.join(reposDir, 'acme', 'payments-api');
    const server = setupServer(...scaffolderApi);
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());
    afterEach(() => scaffolderTasks.clear());

    it('creates a git repository with the workspace as one commit on main', async () => {
      // the workspace is itself a repository, whose history must not travel along
      gitCli(workspacePath, ['init', '--quiet', '--initial-branch=trunk']);
      gitCli(workspacePath, ['add', '--all']);
      gitCli(workspacePath, [
        '-c',
        'user.name=Somebody Else',
        '-c',
        'user.email=else@example.com',
        'commit',
        '--quiet',
        '-m',
        'workspace history',
      ]);
      fs.writeFileSync(
        path.join(workspacePath, 'vendor/lib/.git'),
        'gitdir: ../../.git/modules/lib\n',
      );

      const outputs = await publish({
        repoUrl,
        description: 'Accepts payments',
      });

      const repoPath = localPath();
      const head = gitCli(repoPath, ['rev-parse', 'HEAD']);
      expect(outputs).toEqual({
        provider: 'local',
        remoteUrl: 'http://localhost:3000/repositories/acme/payments-api',
        localPath: repoPath,
        commitHash: head,
      });
      expect(head).toMatch(/^[0-9a-f]{40}$/);
      expect(gitCli(repoPath, ['symbolic-ref', '--short', 'HEAD'])).toBe(
        'main',
      );
      expect(
        gitCli(repoPath, ['branch', '--list', '--format=%(refname)']),
      ).toBe('refs/heads/main');
      expect(gitCli(repoPath, ['rev-list', '--count', 'HEAD'])).toBe('1');
      expect(gitCli(repoPath, ['log', '-1', '--format=%an <%ae>|%s'])).toBe(
        'Portal Bot <portal-bot@acme.example>|Initial commit',
      );
      expect(gitCli(repoPath, ['status', '--porcelain', '--ignored'])).toBe('');
      expect(gitCli(repoPath, ['ls-files']).split('\n').sort()).toEqual(
        Object.keys(workspaceFiles).sort(),
      );
      for (const [file, content] of Object.entries(workspaceFiles)) {
        expect(fs.readFileSync(path.join(repoPath, file), 'utf8')).toBe(
          content,
        );
      }
      expect(fs.existsSync(path.join(repoPath, 'vendor/lib/.git'))).toBe(false);
      expect(gitCli(repoPath, ['rev-parse', '--git-dir'])).toBe('.git');
      expect(
        fs.readFileSync(path.join(repoPath, '.git', 'HEAD'), 'utf8').trim(),
      ).toBe('ref: refs/heads/main');
      // no staging directory left beside it
      expect(fs.readdirSync(path.join(reposDir, 'acme'))).toEqual([
        'payments-api',
      ]);
    });

    it('uses the default author and the configured commit message', async () => {
      const { ctx, outputs } = portalContext({
        input: { repoUrl },
        workspacePath,
      });
      await createRepoPublishAction(
        publishOptions(
          new ConfigReader({
            pavedRoad: {
              publish: { target: 'local', local: { directory: reposDir } },
            },
            scaffolder: { defaultCommitMessage: 'Scaffolded by the portal' },
          }),
        ),
      ).handler(ctx);

      expect(
        gitCli(outputs.localPath as string, [
          'log',
          '-1',
          '--format=%an <%ae>|%s',
        ]),
      ).toBe('Paved Road <paved-road@example.com>|Scaffolded by the portal');
    });

    it('publishes only sourcePath when given', async () => {
      const outputs = await publish({ repoUrl, sourcePath: 'src' });
      expect(gitCli(outputs.localPath as string, ['ls-files'])).toBe('main.ts');
    });

    it('does not let a .gitconfig in the workspace configure git', async () => {
      const marker = path.join(root, 'fsmonitor-ran');
      writeFiles(workspacePath, {
        '.gitconfig': `[core]\n\tfsmonitor = "touch '${marker}'; false"\n[init]\n\tdefaultBranch = evil\n`,
      });

      const outputs = await publish({ repoUrl });

      expect(fs.existsSync(marker)).toBe(false);
      const repoPath = outputs.localPath as string;
      expect(gitCli(repoPath, ['config', '--local', '--list'])).not.toContain(
        'fsmonitor',
      );
      // still published as a file like any other
      expect(gitCli(repoPath, ['ls-files', '.gitconfig'])).toBe('.gitconfig');
    });

    it('refuses an existing repository with a ConflictError and leaves it alone', async () => {
      writeFiles(localPath(), { 'keep.txt': 'mine\n' });

      const error = await publish({ repoUrl }).catch(e => e);

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain("'acme/payments-api'");
      expect(listFiles(reposDir)).toEqual([
        'acme',
        'acme/payments-api',
        'acme/payments-api/keep.txt',
      ]);
      expect(fs.readFileSync(path.join(localPath(), 'keep.txt'), 'utf8')).toBe(
        'mine\n',
      );
    });

    it('leaves no half repository when copying fails', async () => {
      await expect(publish({ repoUrl, sourcePath: 'missing' })).rejects.toThrow(
        'ENOENT',
      );
      expect(fs.readdirSync(path.join(reposDir, 'acme'))).toEqual([]);
    });

    it.each<[string, unknown]>([
      ['no owner', 'github.com?repo=payments-api'],
      ['no repo', 'github.com?owner=acme'],
      ['an uppercase owner', 'github.com?owner=Acme&repo=payments-api'],
      ['an uppercase repo', 'github.com?owner=acme&repo=Payments-API'],
      ['owner ..', 'github.com?owner=..&repo=x'],
      ['repo ..', 'github.com?owner=acme&repo=..'],
      ['an encoded slash', 'github.com?owner=acme%2F..%2F..&repo=x'],
      ['a dot', 'github.com?owner=acme&repo=payments.api'],
      ['a leading dash', 'github.com?owner=-acme&repo=x'],
      ['a repo name over 100', `github.com?owner=acme&repo=${'a'.repeat(101)}`],
      ['an unknown host', 'git.example.invalid?owner=acme&repo=x'],
      ['an empty string', ''],
      ['a number', 42],
      ['an array', ['github.com?owner=acme&repo=x']],
      ['null', null],
    ])('refuses a repoUrl with %s and creates nothing', async (_, bad) => {
      const error = await publish({ repoUrl: bad }).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain("'repoUrl'");
      expect(fs.existsSync(reposDir)).toBe(false);
    });

    it('refuses input without a repoUrl and unknown input', async () => {
      const missing = await publish({}).catch(e => e);
      expect(missing).toBeInstanceOf(InputError);
      expect(missing.message).toBe(
        "Invalid input: field 'repoUrl': is required",
      );

      const unknown = await publish({ repoUrl, visibility: 'public' }).catch(
        e => e,
      );
      expect(unknown).toBeInstanceOf(InputError);
      expect(unknown.message).toContain("'visibility'");
      expect(fs.existsSync(reposDir)).toBe(false);
    });

    it.each([
      ['a parent directory', '../outside'],
      ['an absolute path', '/etc'],
      ['a sibling sharing the prefix', '../workspace-secrets'],
      ['a symbolic link out', 'escape'],
    ])(
      'refuses a sourcePath to %s and creates nothing',
      async (_, sourcePath) => {
        writeFiles(path.join(root, 'outside'), { 'secret.txt': 'outside\n' });
        writeFiles(path.join(root, 'workspace-secrets'), {
          'secret.txt': 'sibling\n',
        });
        fs.symlinkSync(
          path.join(root, 'outside'),
          path.join(workspacePath, 'escape'),
        );

        const error = await publish({ repoUrl, sourcePath }).catch(e => e);

        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toContain("'sourcePath'");
        expect(fs.existsSync(reposDir)).toBe(false);
      },
    );

    it('creates nothing in a dry run and still reports the provider', async () => {
      const outputs = await publish({ repoUrl }, { isDryRun: true });

      expect(outputs).toEqual({
        provider: 'local',
        remoteUrl: 'http://localhost:3000/repositories/acme/payments-api',
        localPath: localPath(),
      });
      expect(fs.existsSync(reposDir)).toBe(false);
    });

    it('does not publish again when the checkpoint holds the result', async () => {
      const checkpoints = checkpointStore();
      const first = await publish({ repoUrl }, { checkpoints });
      const before = listFiles(reposDir);

      // a recovered task runs the step again with the same checkpoints
      const second = await publish({ repoUrl }, { checkpoints });

      expect(second).toEqual(first);
      expect(checkpoints.values.size).toBe(1);
      expect(listFiles(reposDir)).toEqual(before);
      expect(gitCli(localPath(), ['rev-list', '--count', 'HEAD'])).toBe('1');
      expect(gitCli(localPath(), ['rev-parse', 'HEAD'])).toBe(first.commitHash);

      // another task meets the repository of the first, still running
      scaffolderTasks.set('mock-task-id', {
        status: 'processing',
        createdBy: 'user:default/jane',
      });
      scaffolderTasks.set('task-2', {
        status: 'processing',
        createdBy: 'user:default/jane',
      });
      const error = await publish({ repoUrl }, { taskId: 'task-2' }).catch(
        e => e,
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        "A repository named 'acme/payments-api' already exists and is not one this portal left behind (task mock-task-id is creating it right now): choose another repository name",
      );
      expect(gitCli(localPath(), ['rev-parse', 'HEAD'])).toBe(first.commitHash);
    });

    it('goes on with the repository it created when a restart came before the checkpoint', async () => {
      const first = await publish({ repoUrl });
      const logs: string[] = [];

      // no checkpoint: the backend stopped between the commit and recording it
      const second = await publish({ repoUrl }, { logs });

      expect(second).toEqual(first);
      expect(gitCli(localPath(), ['rev-list', '--count', 'HEAD'])).toBe('1');
      expect(logs).toContain(
        `Found acme/payments-api, created by this task before the backend restarted (commit ${first.commitHash}); going on with it`,
      );
    });

    it('names its task in the first commit', async () => {
      await publish({ repoUrl }, { taskId: 'task-7' });
      expect(gitCli(localPath(), ['log', '-1', '--format=%B'])).toBe(
        'Initial commit\n\nPaved-Road-Task: task-7',
      );
    });

    describe('a repository left behind by an earlier task', () => {
      beforeEach(async () => {
        writeFiles(workspacePath, { 'old.txt': 'from the failed attempt\n' });
        await publish({ repoUrl }, { taskId: 'task-1' });
        fs.rmSync(path.join(workspacePath, 'old.txt'));
        scaffolderTasks.set('task-2', {
          status: 'processing',
          createdBy: 'user:default/jane',
          owner: 'group:default/payments-team',
        });
      });

      it.each([
        [
          'that failed, of the same user',
          {
            status: 'failed',
            createdBy: 'user:default/jane',
            owner: 'group:default/other-team',
          },
        ],
        [
          'that was cancelled, for the same team',
          {
            status: 'cancelled',
            createdBy: 'user:default/joe',
            owner: 'group:default/payments-team',
          },
        ],
      ])('is replaced when the task %s', async (_, earlier) => {
        scaffolderTasks.set('task-1', earlier);
        const logs: string[] = [];

        const outputs = await publish({ repoUrl }, { taskId: 'task-2', logs });

        expect(gitCli(localPath(), ['rev-list', '--count', 'HEAD'])).toBe('1');
        expect(gitCli(localPath(), ['rev-parse', 'HEAD'])).toBe(
          outputs.commitHash,
        );
        expect(gitCli(localPath(), ['ls-files']).split('\n').sort()).toEqual(
          Object.keys(workspaceFiles).sort(),
        );
        expect(gitCli(localPath(), ['log', '-1', '--format=%B'])).toContain(
          'Paved-Road-Task: task-2',
        );
        expect(logs).toContain(
          `Replacing the content of acme/payments-api, left behind by an earlier attempt: task task-1 created it and ended ${earlier.status} without registering it in the catalog`,
        );
        // nothing is left beside it
        expect(fs.readdirSync(path.join(reposDir, 'acme'))).toEqual([
          'payments-api',
        ]);
      });

      it.each<
        [
          string,
          { status: string; createdBy?: string; owner?: string } | undefined,
          string,
        ]
      >([
        [
          'is still running',
          { status: 'processing', createdBy: 'user:default/jane' },
          'task task-1 is creating it right now',
        ],
        [
          'was of another user for another team',
          {
            status: 'failed',
            createdBy: 'user:default/joe',
            owner: 'group:default/other-team',
          },
          'it was left behind by task task-1 of user:default/joe for group:default/other-team',
        ],
        [
          'is unknown to the scaffolder',
          undefined,
          'it was created by task task-1, which this portal has no record of',
        ],
      ])('is kept when the task %s', async (_, earlier, reason) => {
        if (earlier) {
          scaffolderTasks.set('task-1', earlier);
        }
        const before = gitCli(localPath(), ['rev-parse', 'HEAD']);

        const error = await publish({ repoUrl }, { taskId: 'task-2' }).catch(
          e => e,
        );

        expect(error).toBeInstanceOf(ConflictError);
        expect(error.message).toContain(`(${reason})`);
        expect(gitCli(localPath(), ['rev-parse', 'HEAD'])).toBe(before);
      });

      it('is kept when the catalog has an entity from it', async () => {
        scaffolderTasks.set('task-1', {
          status: 'completed',
          createdBy: 'user:default/jane',
        });
        const catalog = catalogServiceMock({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'payments-api',
                namespace: 'default',
                annotations: {
                  'backstage.io/managed-by-location': `file:${path.join(
                    localPath(),
                    'catalog-info.yaml',
                  )}`,
                },
              },
              spec: { type: 'service', owner: 'payments-team' },
            },
          ],
        });

        const error = await publish(
          { repoUrl },
          { taskId: 'task-2', catalog },
        ).catch(e => e);

        expect(error).toBeInstanceOf(ConflictError);
        expect(error.message).toContain(
          '(the catalog has component:default/payments-api from it)',
        );
      });

      it('is kept when it has more than the first commit', async () => {
        scaffolderTasks.set('task-1', {
          status: 'failed',
          createdBy: 'user:default/jane',
        });
        fs.writeFileSync(path.join(localPath(), 'later.txt'), 'work\n');
        gitCli(localPath(), ['add', 'later.txt']);
        gitCli(localPath(), [
          '-c',
          'user.name=Jane',
          '-c',
          'user.email=jane@example.com',
          'commit',
          '--quiet',
          '-m',
          'Work',
        ]);

        const error = await publish({ repoUrl }, { taskId: 'task-2' }).catch(
          e => e,
        );

        expect(error).toBeInstanceOf(ConflictError);
        expect(error.message).toContain(
          "(it has commits beyond the portal's first one)",
        );
      });
    });

    it('refuses an empty workspace: a restart may have lost what earlier steps wrote', async () => {
      fs.rmSync(workspacePath, { recursive: true, force: true });
      fs.mkdirSync(workspacePath);

      const error = await publish({ repoUrl }).catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'Nothing to publish: the workspace is empty (if the backend restarted during this task, run the template again)',
      );
      expect(fs.existsSync(reposDir)).toBe(false);
    });

    it('runs every documented example', async () => {
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const steps = parse(example.example).steps;
        expect(steps.map((s: { action: string }) => s.action)).toEqual([
          'portal:repo:publish',
        ]);
        const outputs = await publish(steps[0].input);
        const repoPath = path.join(reposDir, 'paved-road-demo', 'payments-api');
        expect(outputs).toEqual(
          expect.objectContaining({ provider: 'local', localPath: repoPath }),
        );
        expect(gitCli(repoPath, ['rev-parse', 'HEAD'])).toBe(
          outputs.commitHash,
        );
      }
    });
  });

  describe("with target 'github'", () => {
    const github = new FakeGithub({
      token: TOKEN,
      organizations: ['acme'],
      user: 'jane-doe',
    });
    const server = setupServer(...github.handlers(), ...scaffolderApi);
    beforeAll(async () => {
      await github.start();
      server.listen({ onUnhandledRequest: 'error' });
    });
    afterAll(async () => {
      server.close();
      await github.stop();
    });
    beforeEach(() => github.reset());
    afterEach(() => scaffolderTasks.clear());

    const githubConfig = (extra: JsonObject = {}) =>
      new ConfigReader({
        pavedRoad: { publish: { target: 'github' } },
        integrations: { github: [{ host: 'github.com', token: TOKEN }] },
        scaffolder: { defaultAuthor: author },
        ...extra,
      });

    async function publishToGithub(
      input: unknown,
      options: {
        config?: ConfigReader;
        isDryRun?: boolean;
        taskId?: string;
      } = {},
    ) {
      const { ctx, outputs } = portalContext({
        input,
        workspacePath,
        isDryRun: options.isDryRun,
        taskId: options.taskId,
      });
      const error = await createRepoPublishAction(
        publishOptions(options.config ?? githubConfig()),
      )
        .handler(ctx)
        .then(
          () => undefined,
          e => e,
        );
      return { outputs, error };
    }

    const bodyOf = (method: string, pathname: string) =>
      JSON.parse(
        github.requests.find(r => r.method === method && r.path === pathname)
          ?.body ?? 'null',
      );

    it('creates a private repository in the organization and pushes the workspace as one commit on main', async () => {
      const { outputs, error } = await publishToGithub({
        repoUrl,
        description: 'Accepts payments',
      });

      expect(error).toBeUndefined();
      const head = github.run('acme', 'payments-api', ['rev-parse', 'main']);
      expect(outputs).toEqual({
        provider: 'github',
        remoteUrl: `${github.git.url}/acme/payments-api.git`,
        repoContentsUrl: 'https://github.com/acme/payments-api/blob/main',
        commitHash: head,
      });
      expect(bodyOf('POST', '/orgs/acme/repos')).toMatchObject({
        name: 'payments-api',
        description: 'Accepts payments',
        private: true,
        visibility: 'private',
        delete_branch_on_merge: false,
      });
      expect(
        github.run('acme', 'payments-api', ['rev-list', '--count', 'main']),
      ).toBe('1');
      expect(
        github.run('acme', 'payments-api', [
          'log',
          '-1',
          '--format=%an <%ae>|%s',
          'main',
        ]),
      ).toBe('Portal Bot <portal-bot@acme.example>|Initial commit');
      expect(
        github
          .run('acme', 'payments-api', ['ls-tree', '-r', '--name-only', 'main'])
          .split('\n')
          .sort(),
      ).toEqual(Object.keys(workspaceFiles).sort());
      for (const [file, content] of Object.entries(workspaceFiles)) {
        expect(github.fileAt('acme', 'payments-api', 'main', file)).toBe(
          content,
        );
      }
      // the push authenticates as GitHub wants it, with the integration's token
      expect(github.git.authorizations).toContain(
        `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`,
      );
      expect(
        bodyOf('PUT', '/repos/acme/payments-api/branches/main/protection'),
      ).toMatchObject({
        enforce_admins: true,
        required_pull_request_reviews: { required_approving_review_count: 1 },
      });
    });

    it("creates a user's repository under the user, from sourcePath only", async () => {
      const { outputs, error } = await publishToGithub({
        repoUrl: 'github.com?owner=jane-doe&repo=payments-api',
        sourcePath: 'src',
      });

      expect(error).toBeUndefined();
      expect(outputs.provider).toBe('github');
      expect(bodyOf('POST', '/user/repos')).toMatchObject({
        name: 'payments-api',
        private: true,
      });
      expect(
        github.run('jane-doe', 'payments-api', [
          'ls-tree',
          '-r',
          '--name-only',
          'main',
        ]),
      ).toBe('main.ts');
    });

    it('is the default target', async () => {
      const { outputs, error } = await publishToGithub(
        { repoUrl },
        {
          config: new ConfigReader({
            integrations: { github: [{ host: 'github.com', token: TOKEN }] },
          }),
        },
      );
      expect(error).toBeUndefined();
      expect(outputs.provider).toBe('github');
      expect(github.exists('acme', 'payments-api')).toBe(true);
    });

    it('refuses a repository that exists on GitHub with a ConflictError', async () => {
      github.seedRepository('acme', 'payments-api', { 'keep.txt': 'mine\n' });
      const before = github.run('acme', 'payments-api', ['rev-parse', 'main']);

      const { error } = await publishToGithub({ repoUrl });

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain("'acme/payments-api'");
      expect(github.run('acme', 'payments-api', ['rev-parse', 'main'])).toBe(
        before,
      );
    });

    it('pushes to an empty repository an earlier attempt created and left', async () => {
      github.createEmptyRepository('acme', 'payments-api');

      const { outputs, error } = await publishToGithub({ repoUrl });

      expect(error).toBeUndefined();
      expect(
        github.run('acme', 'payments-api', ['rev-list', '--count', 'main']),
      ).toBe('1');
      expect(outputs.commitHash).toBe(
        github.run('acme', 'payments-api', ['rev-parse', 'main']),
      );
      expect(github.protectedMain.has('acme/payments-api')).toBe(true);
    });

    it('goes on with the repository it created and protects main, after a restart before the protection', async () => {
      const first = await publishToGithub({ repoUrl });
      // the backend stopped after the push, before protecting main
      await fetch(
        'https://api.github.com/repos/acme/payments-api/branches/main/protection',
        { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } },
      );
      expect(github.protectedMain.has('acme/payments-api')).toBe(false);

      const second = await publishToGithub({ repoUrl });

      expect(second.error).toBeUndefined();
      expect(second.outputs).toEqual(first.outputs);
      expect(
        github.run('acme', 'payments-api', ['rev-list', '--count', 'main']),
      ).toBe('1');
      expect(github.protectedMain.has('acme/payments-api')).toBe(true);
    });

    it('replaces a protected repository a failed task of the same user left, and protects it again', async () => {
      writeFiles(workspacePath, { 'old.txt': 'from the failed attempt\n' });
      await publishToGithub({ repoUrl }, { taskId: 'task-1' });
      fs.rmSync(path.join(workspacePath, 'old.txt'));
      expect(github.protectedMain.has('acme/payments-api')).toBe(true);
      scaffolderTasks.set('task-1', {
        status: 'failed',
        createdBy: 'user:default/jane',
      });
      scaffolderTasks.set('task-2', {
        status: 'processing',
        createdBy: 'user:default/jane',
      });

      const { outputs, error } = await publishToGithub(
        { repoUrl, description: 'Accepts payments, second try' },
        { taskId: 'task-2' },
      );

      expect(error).toBeUndefined();
      const head = github.run('acme', 'payments-api', ['rev-parse', 'main']);
      expect(outputs.commitHash).toBe(head);
      expect(
        github.run('acme', 'payments-api', ['rev-list', '--count', 'main']),
      ).toBe('1');
      expect(github.fileAt('acme', 'payments-api', 'main', 'old.txt')).toBe(
        undefined,
      );
      expect(
        github.run('acme', 'payments-api', [
          'log',
          '-1',
          '--format=%B',
          'main',
        ]),
      ).toContain('Paved-Road-Task: task-2');
      expect(bodyOf('PATCH', '/repos/acme/payments-api')).toEqual({
        description: 'Accepts payments, second try',
      });
      expect(github.protectedMain.has('acme/payments-api')).toBe(true);
    });

    it("reports GitHub's refusal without the token", async () => {
      const { error } = await publishToGithub(
        { repoUrl },
        {
          config: githubConfig({
            integrations: {
              github: [{ host: 'github.com', token: 'ghp_expired' }],
            },
          }),
        },
      );
      expect(error?.message).toBe(
        'GitHub refused to read the account acme; caused by ResponseError: Request failed with 401 Unauthorized',
      );
      expect(github.exists('acme', 'payments-api')).toBe(false);
    });

    it('checks the input before calling GitHub', async () => {
      const { error } = await publishToGithub({
        repoUrl: 'github.com?owner=acme&repo=../x',
      });

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain("'repoUrl'");
      expect(github.requests).toEqual([]);
    });

    it('creates no repository in a dry run', async () => {
      const { outputs } = await publishToGithub(
        { repoUrl },
        { isDryRun: true },
      );

      expect(github.requests).toEqual([]);
      expect(outputs).toEqual({
        provider: 'github',
        remoteUrl: 'https://github.com/acme/payments-api',
        repoContentsUrl: 'https://github.com/acme/payments-api/blob/main',
      });
    });
  });

  describe('configuration', () => {
    it('reads the local directory as an absolute path, browsed at the portal', () => {
      expect(
        readPavedRoadConfig(
          new ConfigReader({
            app: { baseUrl: 'https://portal.acme.test' },
            pavedRoad: {
              publish: { target: 'local', local: { directory: 'repos' } },
            },
          }),
        ).publish,
      ).toEqual({
        kind: 'local',
        directory: path.resolve('repos'),
        portalBaseUrl: 'https://portal.acme.test',
      });
    });

    it('refuses an unknown target at startup, naming the key', () => {
      expect(() =>
        readPavedRoadConfig(
          new ConfigReader({
            pavedRoad: { publish: { target: 'gitlab' } },
          }),
        ),
      ).toThrow(
        "Invalid config 'pavedRoad.publish.target': must be 'github' or 'local', got 'gitlab'",
      );
    });

    it('refuses the local target without a directory, naming the key', () => {
      expect(() =>
        readPavedRoadConfig(
          new ConfigReader({
            pavedRoad: { publish: { target: 'local' } },
          }),
        ),
      ).toThrow("Invalid config 'pavedRoad.publish.local.directory'");
    });
  });
});
