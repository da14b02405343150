import fs from 'node:fs/promises';
import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { entityKey } from '@internal/paved-road-common';
import { parseAllDocuments } from 'yaml';
import { CatalogRegistration } from '../catalog/registration';
import { fieldError, parseActionInput, text, Zod } from '../input';
import { RepositoryHost } from '../publish/RepositoryHost';
import { examples } from './catalogRegister.examples';
import { withUserErrors } from './userErrors';

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

/**
 * `portal:catalog:register`: registers the new repository's catalog file, wherever
 * `portal:repo:publish` put it: the repository host says where the catalog reads it (a
 * URL location for GitHub, a file location inside `pavedRoad.publish.local.directory`
 * for a local repository). It succeeds only once the catalog holds the entity from that
 * location: a name another location has, or a file the catalog cannot process, fails
 * the step with the reason and leaves nothing registered.
 */
export function createCatalogRegisterAction(options: {
  host: RepositoryHost;
  catalog: CatalogService;
  auth: AuthService;
  /** How long to wait for the catalog to read the new entity. */
  waitForEntity?: { timeoutMs: number; intervalMs: number };
}) {
  const { host, catalog, auth } = options;
  const wait = options.waitForEntity ?? { timeoutMs: 30_000, intervalMs: 500 };
  return withUserErrors(
    createTemplateAction({
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
          {
            repoContentsUrl: input.repoContentsUrl,
            localPath: input.localPath,
          },
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
        const registration = CatalogRegistration.create({
          catalog,
          userCredentials: await ctx.getInitiatorCredentials(),
          serviceCredentials: await auth.getOwnServiceCredentials(),
          logger: ctx.logger,
          ...wait,
        });

        let entities: Entity[];
        if (location.type === 'file') {
          const content = await fs.readFile(target, 'utf8').catch(() => {
            throw fieldError(
              'localPath',
              `no catalog file at ${input.catalogInfoPath} in ${input.localPath}`,
            );
          });
          entities = parseAllDocuments(content).map(
            doc => doc.toJS() as Entity,
          );
        } else {
          const preview = await catalog.addLocation(
            { ...location, dryRun: true },
            { credentials: await ctx.getInitiatorCredentials() },
          );
          entities = preview.entities;
        }
        const main = mainEntityRef(entities);
        if (!main) {
          throw new InputError(`The catalog file ${target} holds no entity`);
        }
        const entityRef = stringifyEntityRef(parseEntityRef(main));
        await registration.register(entityRef, location);
        ctx.output('entityRef', entityRef);
      },
    }),
  );
}
