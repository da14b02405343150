import path from 'node:path';
import { isChildPath } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import { DNS1123_LABEL } from '@internal/paved-road-common';
import { fieldError, parseActionInput, text, Zod } from '../input';
import { RepositoryHost } from '../publish/RepositoryHost';
import { examples } from './repoPublish.examples';

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

/**
 * `portal:repo:publish`: publishes the workspace as a new repository on the portal's
 * repository host (`pavedRoad.publish.target`, once per environment, so one template
 * serves both): a private GitHub repository with default branch `main` in production, a
 * git repository under `pavedRoad.publish.local.directory` on the embedded default.
 */
export function createRepoPublishAction(options: {
  host: RepositoryHost;
  /** To read the RepoUrlPicker's `repoUrl`. */
  integrations: ScmIntegrationRegistry;
}) {
  const { host, integrations } = options;
  return createTemplateAction({
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
      const result = await ctx.checkpoint({
        key: `portal-repo-publish-${owner}/${name}`,
        fn: () =>
          host.createRepository({
            repo,
            description: input.description,
            sourceDir,
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
  });
}
