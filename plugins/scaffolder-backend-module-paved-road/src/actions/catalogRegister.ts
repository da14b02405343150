import fs from 'node:fs/promises';
import path from 'node:path';
import { isChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { parseAllDocuments } from 'yaml';
import { readPublishTarget } from './repoPublish';
import { parseInput, text, Zod } from './util/input';
import { examples } from './catalogRegister.examples';

const inputSchema = {
  provider: (z: Zod) =>
    z
      .enum(['github', 'local'], {
        errorMap: () => ({ message: "must be 'github' or 'local'" }),
      })
      .describe("The publish step's provider output"),
  // empty when the other provider published: the template passes both outputs
  repoContentsUrl: (z: Zod) =>
    text(z, { max: 2048, min: 0 })
      .optional()
      .describe("The publish step's repoContentsUrl output (GitHub)"),
  localPath: (z: Zod) =>
    text(z, { max: 2048, min: 0 })
      .optional()
      .describe("The publish step's localPath output (local)"),
  catalogInfoPath: (z: Zod) =>
    text(z, { max: 512 })
      .regex(
        /^\/(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\-/]+\.ya?ml$/,
        'must be an absolute path in the repository to a .yaml file, without ..',
      )
      .default('/catalog-info.yaml')
      .describe('Where the catalog file lies in the repository'),
};

const outputSchema = {
  entityRef: (z: Zod) =>
    z
      .string()
      .describe(
        'The registered component, e.g. component:default/payments-api',
      ),
  catalogInfoUrl: (z: Zod) =>
    z.string().describe('The location the catalog reads the component from'),
};

/** The ref of the first Component in a catalog file, falling back to the first entity. */
function mainEntityRef(entities: Entity[]): string | undefined {
  const main =
    entities.find(e => e.kind.toLocaleLowerCase('en-US') === 'component') ??
    entities[0];
  return main ? stringifyEntityRef(main) : undefined;
}

/**
 * `portal:catalog:register`: registers the new repository's catalog file, wherever
 * `portal:repo:publish` put it: a URL location for GitHub, a file location for a local
 * repository (only inside `pavedRoad.publish.local.directory`).
 */
/**
 * Waits until the catalog has read the new entity, so that the task's "Open in catalog"
 * link leads to a page rather than to "Entity not found". Gives up quietly after
 * `timeoutMs`: the entity still arrives, just later.
 */
async function waitForEntity(options: {
  catalog: CatalogService;
  entityRef: string;
  credentials: Awaited<
    ReturnType<ActionContext<any, any>['getInitiatorCredentials']>
  >;
  logger: ActionContext<any, any>['logger'];
  timeoutMs: number;
  intervalMs: number;
}) {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const entity = await options.catalog
      .getEntityByRef(options.entityRef, { credentials: options.credentials })
      .catch(() => undefined);
    if (entity) {
      return;
    }
    if (Date.now() >= deadline) {
      options.logger.warn(
        `The catalog has not read ${options.entityRef} yet; it will appear shortly`,
      );
      return;
    }
    await new Promise(resolve => setTimeout(resolve, options.intervalMs));
  }
}

export function createCatalogRegisterAction(options: {
  config: Config;
  catalog: CatalogService;
  /** How long to wait for the catalog to read the new entity. */
  waitForEntity?: { timeoutMs: number; intervalMs: number };
}) {
  const target = readPublishTarget(options.config);
  const wait = options.waitForEntity ?? { timeoutMs: 30_000, intervalMs: 500 };
  return createTemplateAction({
    id: 'portal:catalog:register',
    description:
      'Registers the catalog-info.yaml of a repository created by portal:repo:publish in the software catalog.',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const credentials = await ctx.getInitiatorCredentials();
      const settled = (entityRef: string) =>
        waitForEntity({
          catalog: options.catalog,
          entityRef,
          credentials,
          logger: ctx.logger,
          ...wait,
        });

      if (input.provider === 'local') {
        if (target.kind !== 'local') {
          throw new InputError(
            "Invalid input 'provider': 'local' repositories are not enabled here (pavedRoad.publish.target)",
          );
        }
        if (!input.localPath) {
          throw new InputError(
            "Invalid input 'localPath': required for provider 'local'",
          );
        }
        const file = path.join(
          path.resolve(input.localPath),
          input.catalogInfoPath,
        );
        // catalogInfoPath names a .yaml file, so file is never the directory itself
        if (!isChildPath(target.directory, file)) {
          throw new InputError(
            `Invalid input 'localPath': must be a repository under ${target.directory}`,
          );
        }
        ctx.output('catalogInfoUrl', `file://${file}`);
        if (ctx.isDryRun) {
          ctx.logger.info(`Dry run: would register ${file}`);
          ctx.output('entityRef', 'component:default/dry-run');
          return;
        }
        const content = await fs.readFile(file, 'utf8').catch(() => {
          throw new InputError(
            `Invalid input 'localPath': no catalog file at ${input.catalogInfoPath} in ${input.localPath}`,
          );
        });
        const entityRef = mainEntityRef(
          parseAllDocuments(content).map(doc => doc.toJS() as Entity),
        );
        if (!entityRef) {
          throw new InputError(`The catalog file ${file} holds no entity`);
        }
        await ctx.checkpoint({
          key: `portal-catalog-register-${file}`,
          fn: async () => {
            await options.catalog
              .addLocation({ type: 'file', target: file }, { credentials })
              .catch(error => {
                // registered before (a retried task): the location is what we want;
                // the catalog client reports it as a ResponseError with status 409
                if (
                  !(error instanceof ConflictError) &&
                  error?.name !== 'ConflictError' &&
                  !(ResponseError.is(error) && error.statusCode === 409)
                ) {
                  throw error;
                }
              });
          },
        });
        ctx.logger.info(`Registered ${entityRef} from ${file}`);
        await settled(entityRef);
        ctx.output('entityRef', stringifyEntityRef(parseEntityRef(entityRef)));
        return;
      }

      if (!input.repoContentsUrl) {
        throw new InputError(
          "Invalid input 'repoContentsUrl': required for provider 'github'",
        );
      }
      const catalogInfoUrl = `${input.repoContentsUrl.replace(/\/$/, '')}${
        input.catalogInfoPath
      }`;
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      if (ctx.isDryRun) {
        // a dry run publishes nothing, so there is no file for the catalog to read
        ctx.logger.info(`Dry run: would register ${catalogInfoUrl}`);
        ctx.output('entityRef', 'component:default/dry-run');
        return;
      }
      await ctx.checkpoint({
        key: `portal-catalog-register-${catalogInfoUrl}`,
        fn: async () => {
          await options.catalog.addLocation(
            { type: 'url', target: catalogInfoUrl },
            { credentials },
          );
        },
      });
      const preview = await options.catalog.addLocation(
        { type: 'url', target: catalogInfoUrl, dryRun: true },
        { credentials },
      );
      const entityRef = mainEntityRef(preview.entities);
      if (!entityRef) {
        throw new InputError(
          `The catalog file ${catalogInfoUrl} holds no entity`,
        );
      }
      await settled(entityRef);
      ctx.output('entityRef', entityRef);
    },
  });
}
