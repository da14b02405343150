import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  makeValidator,
  parseEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError, ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { entityKey } from '@internal/paved-road-common';
import { serviceFacts } from '../catalog/serviceFacts';
import { ChangeRequestNotifier } from '../notifications/changeRequests';
import { choice, fieldError, parseActionInput, text, Zod } from '../input';
import { proposeChange, ProposalOutcome } from '../publish/proposeChange';
import {
  DEFAULT_CONTACT,
  noRepositorySentence,
} from '../selfService/capabilities';
import { RepositoryHost, RepositoryView } from '../publish/RepositoryHost';
import {
  buildInfraRequest,
  DATABASE_SIZES,
  ENVIRONMENTS,
  INFRA_KINDS,
  KIND_TITLES,
} from '../terraform/infraRequest';
import { MODULES_KEY, TerraformModule } from '../terraform/modules';
import { examples } from './infraRequest.examples';
import { withUserErrors } from './userErrors';

// The choices are the template's too (templates.test.ts holds them to the same lists).
export { DATABASE_SIZES, ENVIRONMENTS, INFRA_KINDS };

const GITHUB_HOST = 'github.com';

const validator = makeValidator();

/**
 * The component's full reference, or an InputError naming `entityRef`: a reference the
 * catalog could not look up (a name with spaces, a slash too many) is the user's input,
 * never a failed catalog call.
 */
function componentRef(value: string): string {
  let ref: { kind: string; namespace: string; name: string };
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw fieldError('entityRef', (error as Error).message);
  }
  if (
    !validator.isValidKind(ref.kind) ||
    !validator.isValidNamespace(ref.namespace) ||
    !validator.isValidEntityName(ref.name)
  ) {
    throw fieldError(
      'entityRef',
      `'${value}' is not an entity reference like component:default/payments-api`,
    );
  }
  const wanted = entityKey(ref);
  if (!wanted.startsWith('component:')) {
    throw fieldError(
      'entityRef',
      `must be a Component, got a ${wanted.slice(0, wanted.indexOf(':'))}`,
    );
  }
  return wanted;
}

const inputSchema = {
  entityRef: (z: Zod) =>
    text(z, { max: 255 }).describe(
      'The service asking for it: a Component the user can see, e.g. component:default/payments-api',
    ),
  kind: (z: Zod) =>
    choice(z, INFRA_KINDS).describe(
      'What to create: database, queue or bucket (the module of that name in pavedRoad.terraform.modules)',
    ),
  environment: (z: Zod) =>
    choice(z, ENVIRONMENTS).describe(
      'Environment it serves: development, staging or production',
    ),
  size: (z: Zod) =>
    choice(z, DATABASE_SIZES)
      .optional()
      .describe('Databases only: small (default), medium or large'),
};

const outputSchema = {
  provider: (z: Zod) =>
    z
      .enum(['github', 'local'])
      .describe('Where the request went (pavedRoad.publish.target)'),
  branch: (z: Zod) =>
    z
      .string()
      .describe(
        'The branch that holds the file: the pull request branch, or the default branch when it had the file already',
      ),
  created: (z: Zod) =>
    z
      .boolean()
      .describe(
        'false when an identical request was already open (or merged): nothing new was opened',
      ),
  service: (z: Zod) =>
    z.string().describe("The service's name, as the module's service variable"),
  owner: (z: Zod) =>
    z
      .string()
      .describe(
        "The service's owner, as tagged (e.g. group:default/payments-team)",
      ),
  filePath: (z: Zod) =>
    z
      .string()
      .describe('The Terraform file, e.g. infra/database-production.tf'),
  url: (z: Zod) =>
    z
      .string()
      .describe(
        'Where to review it: the pull request on GitHub, the repository for a local one',
      ),
  pullRequestUrl: (z: Zod) =>
    z.string().optional().describe('The pull request (GitHub)'),
  pullRequestNumber: (z: Zod) =>
    z.number().optional().describe('The pull request number (GitHub)'),
  localPath: (z: Zod) =>
    z.string().optional().describe('The repository on the portal host (local)'),
  commitHash: (z: Zod) =>
    z.string().optional().describe('The commit on the branch (local)'),
};

/** The log lines of a request, in the words of the host's change requests. */
function describeOutcome(
  host: RepositoryHost,
  view: RepositoryView,
  outcome: ProposalOutcome,
  file: string,
): { created: string; unchanged: string } {
  if (host.changeKind === 'pull-request') {
    return {
      created: `Opened pull request ${outcome.url} with ${file}`,
      unchanged: `Nothing new: ${outcome.url} already has this ${file}`,
    };
  }
  return {
    created: `Created branch ${outcome.branch} in ${view.label} with ${file} (commit ${outcome.commitHash})`,
    unchanged: `Nothing new: ${outcome.branch} in ${view.label} already has this ${file}`,
  };
}

/**
 * `portal:infra:request`: asks for a database, queue or bucket for an existing service as
 * a change request to the service's repository that adds `infra/<kind>-<environment>.tf`,
 * a call of the module registered under that kind in `pavedRoad.terraform.modules`: a
 * pull request on GitHub, a branch in the local repository the golden path created on
 * the embedded default. An identical open request is reported, never opened twice.
 */
export function createInfraRequestAction(options: {
  host: RepositoryHost;
  catalog: CatalogService;
  modules: ReadonlyMap<string, TerraformModule>;
  /** Whom developers ask when the request cannot go anywhere (`pavedRoad.selfService.contact`). */
  contact?: string;
  /** The backend's log, for what an administrator would look into. */
  logger?: LoggerService;
  /** Tells the owning team of a request opened; nobody is told without it. */
  notifier?: ChangeRequestNotifier;
}) {
  const { host, catalog, modules, logger, notifier } = options;
  const contact = options.contact ?? DEFAULT_CONTACT;
  return withUserErrors(
    createTemplateAction({
      id: 'portal:infra:request',
      description:
        'Requests a database, queue or bucket for an existing service: a pull request (GitHub) or branch (local repository) adding infra/<kind>-<environment>.tf, which calls the module of that name from pavedRoad.terraform.modules. Idempotent: an identical open request is reported, not opened again.',
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input);
        if (input.size && input.kind !== 'database') {
          throw fieldError(
            'size',
            `only a database has a size, not a ${input.kind}`,
          );
        }
        const size =
          input.kind === 'database' ? input.size ?? 'small' : undefined;
        const module = modules.get(input.kind);
        if (!module) {
          throw fieldError(
            'kind',
            `no Terraform module '${input.kind}' is configured in ${MODULES_KEY}`,
          );
        }

        const wanted = componentRef(input.entityRef);
        let entity: Entity | undefined;
        try {
          entity = await catalog.getEntityByRef(wanted, {
            credentials: await ctx.getInitiatorCredentials(),
          });
        } catch (error) {
          // the catalog refused the reference itself: still the user's input
          if (ResponseError.is(error) && error.statusCode === 400) {
            throw fieldError(
              'entityRef',
              `the catalog cannot look up '${wanted}': ${error.body.error.message}`,
            );
          }
          throw error;
        }
        if (!entity) {
          throw fieldError(
            'entityRef',
            `no component '${wanted}' that you can see`,
          );
        }
        const facts = serviceFacts(entity);
        const request = buildInfraRequest({
          kind: input.kind,
          environment: input.environment,
          size,
          module,
          facts,
        });
        const title = `${KIND_TITLES[input.kind]} for ${facts.service} (${
          input.environment
        }${size ? `, ${size}` : ''})`;
        const requestedBy = `Requested through the Paved Road portal by ${
          ctx.user?.ref ?? 'an unknown user'
        }`;
        const repo = {
          host: GITHUB_HOST,
          owner: facts.repoOwner,
          name: facts.repoName,
        };
        const proposal = {
          branch: request.branch,
          title,
          body: `${requestedBy} for ${
            facts.entityRef
          }.\n\nMerging this pull request creates the ${
            KIND_TITLES[input.kind]
          } (module \`${input.kind}\`, environment \`${input.environment}\`${
            size ? `, size \`${size}\`` : ''
          }).`,
          // a plain branch has no description: its commit says who asked
          commitMessage:
            host.changeKind === 'branch'
              ? `${title}\n\n${requestedBy}.\n`
              : title,
          files: [{ path: request.file, content: request.content }],
        };
        ctx.output('service', facts.service);
        ctx.output('owner', facts.owner);
        ctx.output('filePath', request.file);

        let view: RepositoryView;
        try {
          view = await host.view(repo);
        } catch (error) {
          if (error instanceof NotFoundError) {
            // the developer reads the sentence; where the portal looked is for the log
            logger?.warn(`${facts.entityRef}: ${error.message}`);
            throw new NotFoundError(
              noRepositorySentence(facts.service, contact),
            );
          }
          throw error;
        }
        ctx.output('provider', host.provider);
        if (view.localPath) {
          ctx.output('localPath', view.localPath);
        }

        if (ctx.isDryRun) {
          // looking costs nothing on the portal host; GitHub is not asked in a dry run
          const plan = host.freeReads
            ? await proposeChange(host, repo, proposal, { inspectOnly: true })
            : { created: true, branch: request.branch, url: view.url };
          const where =
            host.changeKind === 'branch'
              ? `create branch ${request.branch} in ${view.label}`
              : `open a pull request from ${request.branch} in ${view.label}`;
          ctx.logger.info(
            plan.created
              ? `Dry run: would ${where} with ${request.file}:\n${request.content}`
              : `Dry run: ${plan.branch} in ${view.label} already has this ${request.file}`,
          );
          ctx.output('branch', plan.branch);
          ctx.output('created', plan.created);
          ctx.output('url', plan.url);
          return;
        }
        const outcome = await ctx.checkpoint({
          key: `portal-infra-request-${repo.owner}/${repo.name}-${request.branch}`,
          fn: () =>
            proposeChange(host, repo, proposal, { taskId: ctx.task.id }),
        });
        const log = describeOutcome(host, view, outcome, request.file);
        ctx.logger.info(
          outcome.created
            ? `${log.created}; review and merge it to create the ${input.kind}`
            : log.unchanged,
        );
        ctx.output('branch', outcome.branch);
        ctx.output('created', outcome.created);
        ctx.output('url', outcome.url);
        if (outcome.commitHash) {
          ctx.output('commitHash', outcome.commitHash);
        }
        if (outcome.number !== undefined) {
          ctx.output('pullRequestUrl', outcome.url);
          ctx.output('pullRequestNumber', outcome.number);
        }
        if (outcome.created && notifier) {
          await notifier.opened({
            kind: 'infra',
            entityRef: facts.entityRef,
            owner: facts.owner,
            title,
            url: outcome.url,
            requestedBy: ctx.user?.ref,
          });
        }
      },
    }),
  );
}
