import fs from 'node:fs/promises';
import path from 'node:path';
import {
  AuthService,
  isChildPath,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import { DNS1123_LABEL } from '@internal/paved-road-common';
import { fieldError, parseActionInput, text, Zod } from '../input';
import { judgeExistingRepository, TaskSummary } from '../publish/leftBehind';
import {
  PublishedRepository,
  PublishRequest,
  RepositoryExistsError,
  RepositoryHost,
} from '../publish/RepositoryHost';
import { examples } from './repoPublish.examples';
import { withUserErrors } from './userErrors';

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

/** What the action needs to judge a repository that is there already. */
export type ExistingRepositoryJudges = {
  /** The scaffolder's record of a task (see `ScaffolderTasks`). */
  tasks: { summary(taskId: string): Promise<TaskSummary | undefined> };
  /** Read with the scaffolder's own credentials: a user may not see every entity. */
  catalog: CatalogService;
  auth: AuthService;
};

/**
 * Creates the repository; when one is there, goes on with it if this task made it
 * before a restart, replaces it if an earlier attempt left it behind (see
 * `leftBehind.ts`), and refuses it otherwise, saying why. The log says which.
 */
async function publish(options: {
  host: RepositoryHost;
  judges: ExistingRepositoryJudges;
  request: PublishRequest & { taskId: string };
  logger: LoggerService;
}): Promise<PublishedRepository> {
  const { host, judges, request, logger } = options;
  const { repo } = request;
  const slug = `${repo.owner}/${repo.name}`;
  try {
    return await host.createRepository(request);
  } catch (error) {
    if (!(error instanceof RepositoryExistsError)) {
      throw error;
    }
  }
  const verdict = await judgeExistingRepository({
    history: await host.history(repo),
    taskId: request.taskId,
    task: taskId => judges.tasks.summary(taskId),
    registeredEntity: async () => {
      const location = host.catalogLocation(
        host.plannedRepository(repo),
        '/catalog-info.yaml',
      );
      const { items } = await judges.catalog.getEntities(
        {
          filter: [
            {
              'metadata.annotations.backstage.io/managed-by-location': `${location.type}:${location.target}`,
            },
            { 'metadata.annotations.github.com/project-slug': slug },
          ],
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials: await judges.auth.getOwnServiceCredentials() },
      );
      return items[0] ? stringifyEntityRef(items[0]) : undefined;
    },
  });
  if (verdict.kind === 'ours') {
    logger.info(
      `Found ${slug}, created by this task before the backend restarted (commit ${verdict.commitHash}); going on with it`,
    );
    return host.completeRepository({
      repo,
      commitHash: verdict.commitHash,
      logger,
    });
  }
  if (verdict.kind === 'left-behind') {
    logger.info(
      `Replacing the content of ${slug}, left behind by an earlier attempt: ${verdict.reason}`,
    );
    return host.replaceRepository(request);
  }
  throw new ConflictError(
    `A repository named '${slug}' already exists and is not one this portal left behind (${verdict.reason}): choose another repository name`,
  );
}

/**
 * `portal:repo:publish`: publishes the workspace as a new repository on the portal's
 * repository host (`pavedRoad.publish.target`, once per environment, so one template
 * serves both): a private GitHub repository with default branch `main` in production, a
 * git repository under `pavedRoad.publish.local.directory` on the embedded default.
 */
export function createRepoPublishAction(
  options: {
    host: RepositoryHost;
    /** To read the RepoUrlPicker's `repoUrl`. */
    integrations: ScmIntegrationRegistry;
  } & ExistingRepositoryJudges,
) {
  const { host, integrations } = options;
  return withUserErrors(
    createTemplateAction({
      id: 'portal:repo:publish',
      description:
        "Publishes the workspace as a new repository: on GitHub (private, branch main) or, with pavedRoad.publish.target 'local', as a git repository on the portal host.",
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input);
        let parsed: ReturnType<typeof parseRepoUrl>;
        try {
          parsed = parseRepoUrl(input.repoUrl, integrations);
        } catch (error) {
          throw fieldError('repoUrl', (error as Error).message);
        }
        const { owner, repo: name } = parsed;
        if (
          !owner ||
          !DNS1123_LABEL.test(owner) ||
          !DNS1123_LABEL.test(name) ||
          name.length > 100
        ) {
          throw fieldError(
            'repoUrl',
            `owner and repository must be lowercase letters, digits and dashes, got '${owner}/${name}'`,
          );
        }
        const sourceDir = input.sourcePath
          ? path.resolve(ctx.workspacePath, input.sourcePath)
          : ctx.workspacePath;
        if (!isChildPath(ctx.workspacePath, sourceDir)) {
          throw fieldError('sourcePath', 'must stay inside the workspace');
        }
        const repo = { host: parsed.host, owner, name };

        ctx.output('provider', host.provider);
        if (ctx.isDryRun) {
          const planned = host.plannedRepository(repo);
          ctx.logger.info(`Dry run: would create the ${planned.summary}`);
          ctx.output('remoteUrl', planned.remoteUrl);
          if (planned.repoContentsUrl) {
            ctx.output('repoContentsUrl', planned.repoContentsUrl);
          }
          if (planned.localPath) {
            ctx.output('localPath', planned.localPath);
          }
          return;
        }
        const entries = await fs.readdir(sourceDir).catch(() => undefined);
        if (entries?.every(entry => entry === '.git')) {
          // the files of earlier steps live in the workspace, which a restart may lose
          throw new InputError(
            `Nothing to publish: the workspace${
              input.sourcePath ? ` folder '${input.sourcePath}'` : ''
            } is empty (if the backend restarted during this task, run the template again)`,
          );
        }
        const result = await ctx.checkpoint({
          key: `portal-repo-publish-${owner}/${name}`,
          fn: () =>
            publish({
              host,
              judges: options,
              request: {
                repo,
                description: input.description,
                sourceDir,
                taskId: ctx.task.id,
                logger: ctx.logger,
              },
              logger: ctx.logger,
            }),
        });
        ctx.logger.info(
          `Created ${result.summary} (commit ${result.commitHash})`,
        );
        ctx.output('remoteUrl', result.remoteUrl);
        if (result.repoContentsUrl) {
          ctx.output('repoContentsUrl', result.repoContentsUrl);
        }
        if (result.localPath) {
          ctx.output('localPath', result.localPath);
        }
        if (result.commitHash) {
          ctx.output('commitHash', result.commitHash);
        }
      },
    }),
  );
}
