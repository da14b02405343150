import fs from 'node:fs/promises';
import path from 'node:path';
import { isChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  createTemplateAction,
  parseRepoUrl,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createPublishGithubAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { git, readDefaultAuthor } from './util/git';
import { parseInput, text, Zod } from './util/input';
import { examples } from './repoPublish.examples';

/** Where golden paths publish, chosen once per environment in app config. */
export type PublishTarget =
  | { kind: 'github' }
  | { kind: 'local'; directory: string };

const TARGET_KEY = 'pavedRoad.publish.target';
const DIRECTORY_KEY = 'pavedRoad.publish.local.directory';

/** Reads `pavedRoad.publish`; a mistake stops the backend at startup, naming the key. */
export function readPublishTarget(config: Config): PublishTarget {
  const kind = config.getOptionalString(TARGET_KEY) ?? 'github';
  if (kind === 'github') {
    return { kind };
  }
  if (kind === 'local') {
    const directory = config.getOptionalString(DIRECTORY_KEY);
    if (!directory) {
      throw new Error(
        `Invalid config '${DIRECTORY_KEY}': required when ${TARGET_KEY} is 'local'`,
      );
    }
    return { kind, directory: path.resolve(directory) };
  }
  throw new Error(
    `Invalid config '${TARGET_KEY}': must be 'github' or 'local', got '${kind}'`,
  );
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const inputSchema = {
  repoUrl: (z: Zod) =>
    text(z, { max: 512 }).describe(
      'Repository location from the RepoUrlPicker, e.g. github.com?owner=acme&repo=payments-api',
    ),
  description: (z: Zod) =>
    text(z, { max: 350, min: 0 }).optional().describe('Repository description'),
  sourcePath: (z: Zod) =>
    text(z, { max: 512 })
      .optional()
      .describe(
        'Subdirectory of the workspace to publish (default: all of it)',
      ),
};

const outputSchema = {
  provider: (z: Zod) =>
    z.enum(['github', 'local']).describe('Where the repository was created'),
  remoteUrl: (z: Zod) => z.string().describe('URL of the new repository'),
  repoContentsUrl: (z: Zod) =>
    z
      .string()
      .describe('URL of the repository contents (GitHub only)')
      .optional(),
  localPath: (z: Zod) =>
    z
      .string()
      .describe('Path of the repository on the portal host (local only)')
      .optional(),
  commitHash: (z: Zod) => z.string().describe('The first commit').optional(),
};

type Options = {
  config: Config;
  /** Overrides the GitHub publisher, for tests; by default `publish:github`'s own. */
  githubAction?: TemplateAction<any, any, any>;
};

/**
 * Creates a git repository on the portal host with the workspace as its one commit on
 * `main`: the embedded default's stand-in for GitHub.
 */
async function publishLocally(options: {
  directory: string;
  owner: string;
  repo: string;
  sourceDir: string;
  author: { name: string; email: string };
  message: string;
}): Promise<{ localPath: string; commitHash: string }> {
  const localPath = path.join(options.directory, options.owner, options.repo);
  if (
    await fs
      .lstat(localPath)
      .then(() => true)
      .catch(() => false)
  ) {
    throw new ConflictError(
      `A repository named '${options.owner}/${options.repo}' already exists on the portal host`,
    );
  }
  await fs.mkdir(path.dirname(localPath), { recursive: true });
  // Build beside the target and move it in, so a failure leaves no half repository.
  const staging = await fs.mkdtemp(`${localPath}.partial-`);
  try {
    await fs.cp(options.sourceDir, staging, {
      recursive: true,
      verbatimSymlinks: true,
      filter: source => path.basename(source) !== '.git',
    });
    await git(staging, ['init', '--quiet', '--initial-branch=main']);
    await git(staging, ['add', '--all']);
    await git(staging, [
      '-c',
      `user.name=${options.author.name}`,
      '-c',
      `user.email=${options.author.email}`,
      '-c',
      'commit.gpgsign=false',
      'commit',
      '--quiet',
      '--message',
      options.message,
    ]);
    const commitHash = await git(staging, ['rev-parse', 'HEAD']);
    await fs.rename(staging, localPath);
    return { localPath, commitHash };
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * `portal:repo:publish`: publishes the workspace as a new repository. Where it goes is
 * decided by `pavedRoad.publish.target`, once per environment, so one template serves
 * both: `github` (production) creates a private repository with default branch `main`
 * through `publish:github`; `local` (the embedded default) creates a git repository under
 * `pavedRoad.publish.local.directory`.
 */
export function createRepoPublishAction(options: Options) {
  const target = readPublishTarget(options.config);
  const integrations = ScmIntegrations.fromConfig(options.config);
  const githubAction =
    target.kind === 'github'
      ? options.githubAction ??
        createPublishGithubAction({
          integrations,
          config: options.config,
          githubCredentialsProvider:
            DefaultGithubCredentialsProvider.fromIntegrations(integrations),
        })
      : undefined;
  const author = readDefaultAuthor(options.config);
  const message =
    options.config.getOptionalString('scaffolder.defaultCommitMessage') ??
    'Initial commit';

  return createTemplateAction({
    id: 'portal:repo:publish',
    description:
      "Publishes the workspace as a new repository: on GitHub (private, branch main) or, with pavedRoad.publish.target 'local', as a git repository on the portal host.",
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      let host: string;
      let owner: string | undefined;
      let repo: string;
      try {
        ({ host, owner, repo } = parseRepoUrl(input.repoUrl, integrations));
      } catch (error) {
        throw new InputError(
          `Invalid input 'repoUrl': ${(error as Error).message}`,
        );
      }
      if (
        !owner ||
        !NAME.test(owner) ||
        !NAME.test(repo) ||
        repo.length > 100
      ) {
        throw new InputError(
          `Invalid input 'repoUrl': owner and repository must be lowercase letters, digits and dashes, got '${owner}/${repo}'`,
        );
      }
      const sourceDir = input.sourcePath
        ? path.resolve(ctx.workspacePath, input.sourcePath)
        : ctx.workspacePath;
      if (!isChildPath(ctx.workspacePath, sourceDir)) {
        throw new InputError(
          `Invalid input 'sourcePath': must stay inside the workspace`,
        );
      }

      if (target.kind === 'github') {
        ctx.output('provider', 'github');
        if (ctx.isDryRun) {
          // publish:github has no dry run: its handler would create the repository
          ctx.logger.info(
            `Dry run: would create the private GitHub repository ${owner}/${repo}`,
          );
          ctx.output('remoteUrl', `https://${host}/${owner}/${repo}`);
          ctx.output(
            'repoContentsUrl',
            `https://${host}/${owner}/${repo}/blob/main`,
          );
          return;
        }
        await githubAction!.handler({
          ...ctx,
          input: {
            repoUrl: input.repoUrl,
            description: input.description,
            defaultBranch: 'main',
            repoVisibility: 'private',
            sourcePath: input.sourcePath,
          },
        });
        return;
      }

      const localPath = path.join(target.directory, owner, repo);
      ctx.output('provider', 'local');
      ctx.output('remoteUrl', `file://${localPath}`);
      ctx.output('localPath', localPath);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create the git repository ${localPath}`,
        );
        return;
      }
      const result = await ctx.checkpoint({
        key: `portal-repo-publish-${owner}/${repo}`,
        fn: async () =>
          publishLocally({
            directory: target.directory,
            owner: owner!,
            repo,
            sourceDir,
            author,
            message,
          }),
      });
      ctx.logger.info(
        `Created git repository ${result.localPath} (commit ${result.commitHash})`,
      );
      ctx.output('commitHash', result.commitHash);
    },
  });
}
