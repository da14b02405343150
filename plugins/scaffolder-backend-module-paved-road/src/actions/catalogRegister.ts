import fs from 'node:fs/promises';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { entityKey } from '@internal/paved-road-common';
import { parseAllDocuments } from 'yaml';
import { fieldError, parseActionInput, text, Zod } from '../input';
import { RepositoryHost } from '../publish/RepositoryHost';
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
    entities.find(e => entityKey(e).startsWith('component:')) ?? entities[0];
  return main ? stringifyEntityRef(main) : undefined;
}

/** The catalog client reports a location registered before as a 409. */
function isConflict(error: unknown): boolean {
  return (
    error instanceof ConflictError ||
    (error as Error)?.name === 'ConflictError' ||
    (ResponseError.is(error) && error.statusCode === 409)
  );
}

/**
 * Waits until the catalog has read the new entity, so that the task's "Open in catalog"
 * link leads to a page rather than to "Entity not found". Gives up quietly after
 * `timeoutMs`: the entity still arrives, just later.
 */
async function waitForEntity(options: {
  catalog: CatalogService;
  entityRef: string;
  credentials: BackstageCredentials;
  logger: LoggerService;
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

/**
 * `portal:catalog:register`: registers the new repository's catalog file, wherever
 * `portal:repo:publish` put it: the repository host says where the catalog reads it (a
 * URL location for GitHub, a file location inside `pavedRoad.publish.local.directory`
 * for a local repository).
 */
export function createCatalogRegisterAction(options: {
  host: RepositoryHost;
  catalog: CatalogService;
  /** How long to wait for the catalog to read the new entity. */
  waitForEntity?: { timeoutMs: number; intervalMs: number };
}) {
  const { host, catalog } = options;
  const wait = options.waitForEntity ?? { timeoutMs: 30_000, intervalMs: 500 };
  return createTemplateAction({
    id: 'portal:catalog:register',
    description:
      'Registers the catalog-info.yaml of a repository created by portal:repo:publish in the software catalog.',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseActionInput(inputSchema, ctx.input);
      if (input.provider !== host.provider) {
        throw fieldError(
          'provider',
          `'${input.provider}' repositories are not enabled here (pavedRoad.publish.target)`,
        );
      }
      const location = host.catalogLocation(
        { repoContentsUrl: input.repoContentsUrl, localPath: input.localPath },
        input.catalogInfoPath,
      );
      const { target } = location;
      ctx.output(
        'catalogInfoUrl',
        location.type === 'file' ? `file://${target}` : target,
      );
      if (ctx.isDryRun) {
        // a dry run publishes nothing, so there is no file for the catalog to read
        ctx.logger.info(`Dry run: would register ${target}`);
        ctx.output('entityRef', 'component:default/dry-run');
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();

      let entityRef: string | undefined;
      if (location.type === 'file') {
        const content = await fs.readFile(target, 'utf8').catch(() => {
          throw fieldError(
            'localPath',
            `no catalog file at ${input.catalogInfoPath} in ${input.localPath}`,
          );
        });
        entityRef = mainEntityRef(
          parseAllDocuments(content).map(doc => doc.toJS() as Entity),
        );
        if (!entityRef) {
          throw new InputError(`The catalog file ${target} holds no entity`);
        }
        await ctx.checkpoint({
          key: `portal-catalog-register-${target}`,
          fn: async () => {
            await catalog
              .addLocation(location, { credentials })
              .catch(error => {
                // registered before (a retried task): the location is what we want
                if (!isConflict(error)) {
                  throw error;
                }
              });
          },
        });
        ctx.logger.info(`Registered ${entityRef} from ${target}`);
        entityRef = stringifyEntityRef(parseEntityRef(entityRef));
      } else {
        await ctx.checkpoint({
          key: `portal-catalog-register-${target}`,
          fn: async () => {
            await catalog.addLocation(location, { credentials });
          },
        });
        const preview = await catalog.addLocation(
          { ...location, dryRun: true },
          { credentials },
        );
        entityRef = mainEntityRef(preview.entities);
        if (!entityRef) {
          throw new InputError(`The catalog file ${target} holds no entity`);
        }
      }
      await waitForEntity({
        catalog,
        entityRef,
        credentials,
        logger: ctx.logger,
        ...wait,
      });
      ctx.output('entityRef', entityRef);
    },
  });
}
