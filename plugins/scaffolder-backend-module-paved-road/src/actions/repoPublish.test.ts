import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { parse } from 'yaml';
import { createRepoPublishAction, readPublishTarget } from './repoPublish';
import { examples } from './repoPublish.examples';
import { checkpointStore } from './__testUtils__/harness';
import {
  gitCli,
  listFiles,
  portalContext,
  writeFiles,
} from './__testUtils__/portalContext';

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

/** A fake `publish:github`: the real one needs GitHub, an external service. */
function fakeGithubAction() {
  const handler = jest.fn(
    async (ctx: { output: (k: string, v: unknown) => void }) => {
      ctx.output('remoteUrl', 'https://github.com/acme/payments-api.git');
      ctx.output(
        'repoContentsUrl',
        'https://github.com/acme/payments-api/blob/main',
      );
    },
  );
  const action = {
    id: 'publish:github',
    handler,
  } as unknown as TemplateAction<any, any, any>;
  return { action, handler };
}

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
    } = {},
  ) {
    const { ctx, outputs } = portalContext({
      input,
      workspacePath,
      ...options,
    });
    await createRepoPublishAction({ config: localConfig() }).handler(ctx);
    return outputs;
  }

  describe("with target 'local'", () => {
    const localPath = () => path.join(reposDir, 'acme', 'payments-api');

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
        remoteUrl: `file://${repoPath}`,
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
      await createRepoPublishAction({
        config: new ConfigReader({
          pavedRoad: {
            publish: { target: 'local', local: { directory: reposDir } },
          },
          scaffolder: { defaultCommitMessage: 'Scaffolded by the portal' },
        }),
      }).handler(ctx);

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
      expect(missing.message).toBe("Invalid input 'repoUrl': is required");

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
        remoteUrl: `file://${localPath()}`,
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

      // without them, the second run meets the repository of the first
      await expect(publish({ repoUrl })).rejects.toBeInstanceOf(ConflictError);
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
    const githubConfig = new ConfigReader({
      pavedRoad: { publish: { target: 'github' } },
    });

    it('hands a private repository on main to publish:github', async () => {
      const { action: githubAction, handler } = fakeGithubAction();
      const { ctx, outputs } = portalContext({
        input: { repoUrl, description: 'Accepts payments' },
        workspacePath,
      });

      await createRepoPublishAction({
        config: githubConfig,
        githubAction,
      }).handler(ctx);

      expect(handler).toHaveBeenCalledTimes(1);
      const passed = handler.mock.calls[0][0] as unknown as typeof ctx;
      expect(passed.input).toEqual({
        repoUrl,
        description: 'Accepts payments',
        defaultBranch: 'main',
        repoVisibility: 'private',
        sourcePath: undefined,
      });
      expect(passed.workspacePath).toBe(workspacePath);
      expect(outputs).toEqual({
        provider: 'github',
        remoteUrl: 'https://github.com/acme/payments-api.git',
        repoContentsUrl: 'https://github.com/acme/payments-api/blob/main',
      });
    });

    it('is the default target', async () => {
      const { action: githubAction, handler } = fakeGithubAction();
      const { ctx, outputs } = portalContext({
        input: { repoUrl, sourcePath: 'src' },
        workspacePath,
      });
      await createRepoPublishAction({
        config: new ConfigReader({}),
        githubAction,
      }).handler(ctx);

      expect(handler).toHaveBeenCalledTimes(1);
      expect(
        (handler.mock.calls[0][0] as unknown as typeof ctx).input.sourcePath,
      ).toBe('src');
      expect(outputs.provider).toBe('github');
    });

    it('checks the input before calling publish:github', async () => {
      const { action: githubAction, handler } = fakeGithubAction();
      const { ctx } = portalContext({
        input: { repoUrl: 'github.com?owner=acme&repo=../x' },
        workspacePath,
      });
      const error = await createRepoPublishAction({
        config: githubConfig,
        githubAction,
      })
        .handler(ctx)
        .catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain("'repoUrl'");
      expect(handler).not.toHaveBeenCalled();
    });

    it('creates no repository in a dry run', async () => {
      const { action: githubAction, handler } = fakeGithubAction();
      const { ctx, outputs } = portalContext({
        input: { repoUrl },
        workspacePath,
        isDryRun: true,
      });
      await createRepoPublishAction({
        config: githubConfig,
        githubAction,
      }).handler(ctx);

      expect(handler).not.toHaveBeenCalled();
      expect(outputs).toEqual({
        provider: 'github',
        remoteUrl: 'https://github.com/acme/payments-api',
        repoContentsUrl: 'https://github.com/acme/payments-api/blob/main',
      });
    });

    it('builds the real publish:github when none is given', () => {
      const action = createRepoPublishAction({ config: githubConfig });
      expect(action.id).toBe('portal:repo:publish');
      expect(action.supportsDryRun).toBe(true);
    });
  });

  describe('configuration', () => {
    it('reads the local directory as an absolute path', () => {
      expect(
        readPublishTarget(
          new ConfigReader({
            pavedRoad: {
              publish: { target: 'local', local: { directory: 'repos' } },
            },
          }),
        ),
      ).toEqual({ kind: 'local', directory: path.resolve('repos') });
    });

    it('refuses an unknown target at creation, naming the key', () => {
      expect(() =>
        createRepoPublishAction({
          config: new ConfigReader({
            pavedRoad: { publish: { target: 'gitlab' } },
          }),
        }),
      ).toThrow(
        "Invalid config 'pavedRoad.publish.target': must be 'github' or 'local', got 'gitlab'",
      );
    });

    it('refuses the local target without a directory, naming the key', () => {
      expect(() =>
        createRepoPublishAction({
          config: new ConfigReader({
            pavedRoad: { publish: { target: 'local' } },
          }),
        }),
      ).toThrow("Invalid config 'pavedRoad.publish.local.directory'");
    });
  });
});
