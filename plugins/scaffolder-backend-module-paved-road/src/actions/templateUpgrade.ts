import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { NotImplementedError, ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { fieldError, parseActionInput, text, Zod } from '../input';
import {
  ChangeRequestNotifier,
  ownerRefOf,
} from '../notifications/changeRequests';
import { RepositoryRef } from '../publish/RepositoryHost';
import {
  UpgradeEngine,
  UpgradeOutcome,
  upgradeService,
} from '../upgrade/upgradeService';
import { examples } from './templateUpgrade.examples';
import { withUserErrors } from './userErrors';

const SLUG_ANNOTATION = 'github.com/project-slug';
const GITHUB_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/;

const inputSchema = {
  entityRef: (z: Zod) =>
    text(z, { max: 255 }).describe(
      'The service to upgrade: a Component the user can see, e.g. component:default/payments-api',
    ),
};

const outputSchema = {
  state: (z: Zod) =>
    z
      .enum(['up-to-date', 'proposed'])
      .describe('up-to-date: nothing to do; proposed: an upgrade is open'),
  template: (z: Zod) => z.string().describe('The template that made it'),
  version: (z: Zod) => z.number().describe('The version it was made from'),
  current: (z: Zod) => z.number().describe("The template's current version"),
  created: (z: Zod) =>
    z
      .boolean()
      .optional()
      .describe('false when this upgrade was open already: nothing new'),
  branch: (z: Zod) => z.string().optional().describe('paved-road/upgrade-<n>'),
  url: (z: Zod) =>
    z.string().optional().describe('The pull request, or the local branch'),
  conflicts: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe('Files with conflict markers to resolve before merging'),
  superseded: (z: Zod) =>
    z
      .array(z.string())
      .optional()
      .describe('Older upgrade branches closed in favour of this one'),
};

function componentRef(value: string): string {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') === 'component') {
      return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
    }
  } catch {
    // said below
  }
  throw fieldError(
    'entityRef',
    `'${value}' is not a Component reference like component:default/payments-api`,
  );
}

/**
 * `portal:template:upgrade`: proposes the upgrade of one golden-path service to the
 * current version of its template (see `src/upgrade/upgradeService.ts`): a pull request,
 * or a branch on the embedded defaults, with the template's change merged into the
 * service's own edits and the conflicts listed. Idempotent.
 */
export function createTemplateUpgradeAction(options: {
  /** Undefined when the portal runs without the git history of its skeletons. */
  engine?: UpgradeEngine;
  catalog: CatalogService;
  /** Tells the owning team of an upgrade opened; nobody is told without it. */
  notifier?: ChangeRequestNotifier;
}) {
  const { engine, catalog, notifier } = options;
  return withUserErrors(
    createTemplateAction({
      id: 'portal:template:upgrade',
      description:
        "Proposes the upgrade of a golden-path service to its template's current version: a three-way merge of the template's change into the service, as a pull request (GitHub) or branch (local). Idempotent; supersedes older upgrade branches.",
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input);
        const wanted = componentRef(input.entityRef);
        if (!engine) {
          throw new NotImplementedError(
            'This portal cannot propose template upgrades: it runs without the git history of its skeletons (pavedRoad.skeletons.location must be a directory of the portal repository); ask the platform team',
          );
        }
        const entity = await catalog
          .getEntityByRef(wanted, {
            credentials: await ctx.getInitiatorCredentials(),
          })
          .catch(error => {
            if (ResponseError.is(error) && error.statusCode === 400) {
              throw fieldError('entityRef', `the catalog refused '${wanted}'`);
            }
            throw error;
          });
        if (!entity) {
          throw fieldError(
            'entityRef',
            `no component '${wanted}' that you can see`,
          );
        }
        const slug = entity.metadata.annotations?.[SLUG_ANNOTATION] ?? '';
        const [owner, name, ...rest] = slug.split('/');
        if (
          rest.length > 0 ||
          !GITHUB_NAME.test(owner) ||
          !GITHUB_NAME.test(name ?? '')
        ) {
          throw fieldError(
            'entityRef',
            `${wanted} has no '${SLUG_ANNOTATION}' annotation (owner/repository): the upgrade is proposed to its repository`,
          );
        }
        const repo: RepositoryRef = { host: 'github.com', owner, name };
        const dryRun = ctx.isDryRun === true;
        if (dryRun && !engine.host.freeReads) {
          ctx.logger.info(
            `Dry run: would propose the upgrade of ${wanted} in ${owner}/${name}; GitHub is not asked in a dry run`,
          );
          return;
        }
        const run = () =>
          upgradeService(engine, { repo, ctx, taskId: ctx.task.id, dryRun });
        // a checkpoint keeps JSON: the outcome is JSON already (no undefined kept)
        const outcome = dryRun
          ? await run()
          : ((await ctx.checkpoint({
              key: `portal-template-upgrade-${owner}/${name}`,
              fn: async () =>
                JSON.parse(JSON.stringify(await run())) as JsonObject,
            })) as unknown as UpgradeOutcome);
        ctx.output('state', outcome.state);
        ctx.output('template', outcome.template);
        ctx.output('version', outcome.version);
        ctx.output('current', outcome.current);
        if (outcome.state === 'up-to-date') {
          ctx.logger.info(
            `${wanted} is on ${outcome.template} version ${outcome.version}, the current one: nothing to upgrade`,
          );
          return;
        }
        ctx.output('created', outcome.created);
        ctx.output('branch', outcome.branch);
        ctx.output('url', outcome.url);
        ctx.output('conflicts', outcome.conflicts);
        ctx.output('superseded', outcome.superseded);
        const what = `the upgrade of ${wanted} from ${outcome.template} version ${outcome.version} to ${outcome.current}`;
        if (dryRun) {
          ctx.logger.info(
            `Dry run: ${
              outcome.created ? 'would open' : 'already open:'
            } ${what} on ${outcome.branch}, changing ${outcome.changed.join(
              ', ',
            )}`,
          );
        } else if (!outcome.created) {
          ctx.logger.info(`Nothing new: ${what} is open at ${outcome.url}`);
        } else {
          ctx.logger.info(
            `Opened ${what} at ${outcome.url}${
              outcome.conflicts.length > 0
                ? `; resolve the conflicts in ${outcome.conflicts.join(
                    ', ',
                  )} before merging`
                : ''
            }${
              outcome.superseded.length > 0
                ? `; closed ${outcome.superseded.join(', ')}`
                : ''
            }`,
          );
          await notifier?.opened({
            kind: 'upgrade',
            entityRef: wanted,
            // without an owner, the service: the notifications backend finds its owner
            owner: ownerRefOf(entity) ?? wanted,
            title: `Upgrade ${entity.metadata.name} to ${outcome.template} version ${outcome.current}`,
            url: outcome.url,
            requestedBy: ctx.user?.ref,
          });
        }
      },
    }),
  );
}
