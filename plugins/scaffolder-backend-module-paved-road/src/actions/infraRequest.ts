import fs from 'node:fs/promises';
import path from 'node:path';
import { isChildPath } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { attribute, block, formatHcl } from './hcl';
import { proposeFileOnBranch } from './localBranch';
import { GithubPullRequests } from './githubPullRequests';
import { readPublishTarget } from './repoPublish';
import { readModules, TerraformModule } from './terraformStub';
import { readDefaultAuthor } from './util/git';
import { DNS1123_LABEL, parseInput, text, Zod } from './util/input';
import { resolveWorkspacePath, writeWorkspaceFiles } from './util/workspace';
import { examples } from './infraRequest.examples';

/** What can be requested; each is a module of that name in `pavedRoad.terraform.modules`. */
export const INFRA_KINDS = ['database', 'queue', 'bucket'] as const;
export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export const DATABASE_SIZES = ['small', 'medium', 'large'] as const;

export type InfraKind = (typeof INFRA_KINDS)[number];
export type Environment = (typeof ENVIRONMENTS)[number];
export type DatabaseSize = (typeof DATABASE_SIZES)[number];

const SLUG_ANNOTATION = 'github.com/project-slug';
const COST_CENTER_ANNOTATION = 'cost-center';
const GITHUB_HOST = 'github.com';
/** An AWS tag value, as the modules' `validation` blocks check owner and cost_center. */
const TAG_VALUE = /^[\p{L}\p{N}_.:/=+@ -]{1,256}$/u;
/** Repository owners and names the portal creates (`portal:repo:publish`). */
const REPO_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** GitHub owners and repositories in general. */
const GITHUB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

const KIND_TITLES: Record<InfraKind, string> = {
  database: 'PostgreSQL database',
  queue: 'SQS queue',
  bucket: 'S3 bucket',
};

function choice<T extends string>(z: Zod, values: readonly T[]) {
  const allowed = `must be one of: ${values.join(', ')}`;
  return z.enum(values as unknown as [T, ...T[]], {
    errorMap: issue => ({
      message:
        issue.code === 'invalid_type' && issue.received === 'undefined'
          ? 'is required'
          : allowed,
    }),
  });
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

/** What a request needs to know about the service, from its catalog entity. */
export type ServiceFacts = {
  entityRef: string;
  service: string;
  owner: string;
  costCenter: string;
  repoOwner: string;
  repoName: string;
};

function fieldError(message: string) {
  return new InputError(`Invalid input 'entityRef': ${message}`);
}

/** Reads name, owner, cost center and repository from the entity, or says what is missing. */
export function serviceFacts(entity: Entity): ServiceFacts {
  const entityRef = stringifyEntityRef(entity);
  const service = entity.metadata.name;
  if (!DNS1123_LABEL.test(service)) {
    throw fieldError(
      `${entityRef} has a name the Terraform modules refuse: it must be a DNS-1123 label`,
    );
  }
  const ownerRef =
    entity.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef ??
    (typeof entity.spec?.owner === 'string'
      ? stringifyEntityRef(
          parseEntityRef(entity.spec.owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          }),
        )
      : undefined);
  if (!ownerRef || !TAG_VALUE.test(ownerRef)) {
    throw fieldError(`${entityRef} has no owner to tag the infra with`);
  }
  const annotations = entity.metadata.annotations ?? {};
  const costCenter = annotations[COST_CENTER_ANNOTATION];
  if (!costCenter || !TAG_VALUE.test(costCenter)) {
    throw fieldError(
      `${entityRef} needs a '${COST_CENTER_ANNOTATION}' annotation (letters, digits, spaces and _ . : / = + - @): the infra is tagged with its cost center`,
    );
  }
  const slug = annotations[SLUG_ANNOTATION] ?? '';
  const [repoOwner, repoName, ...rest] = slug.split('/');
  if (
    rest.length > 0 ||
    !GITHUB_NAME.test(repoOwner ?? '') ||
    !GITHUB_NAME.test(repoName ?? '') ||
    repoOwner.startsWith('.') ||
    repoName.startsWith('.')
  ) {
    throw fieldError(
      `${entityRef} needs a '${SLUG_ANNOTATION}' annotation (owner/repository): the request is a pull request to its repository`,
    );
  }
  return {
    entityRef,
    service,
    owner: ownerRef,
    costCenter,
    repoOwner,
    repoName,
  };
}

/** The Terraform file of a request, built as data, and the branch it goes on. */
export function buildInfraRequest(options: {
  kind: InfraKind;
  environment: Environment;
  size?: DatabaseSize;
  module: TerraformModule;
  facts: Pick<ServiceFacts, 'service' | 'owner' | 'costCenter'>;
}): { file: string; branch: string; content: string } {
  const { kind, environment, module, facts } = options;
  const name = `${kind}-${environment}`;
  const body = [
    block(
      'module',
      [`${kind}_${environment}`],
      [
        attribute('source', module.source),
        ...(module.version ? [attribute('version', module.version)] : []),
        attribute('service', facts.service),
        attribute('environment', environment),
        ...(options.size ? [attribute('size', options.size)] : []),
        attribute('owner', facts.owner),
        attribute('cost_center', facts.costCenter),
      ],
    ),
  ];
  return {
    file: `infra/${name}.tf`,
    branch: `infra/${name}`,
    content: `# ${
      KIND_TITLES[kind]
    } for ${environment}, requested through the Paved Road portal.\n\n${formatHcl(
      body,
    )}`,
  };
}

type Options = {
  config: Config;
  catalog: CatalogService;
  /** Overrides `publish:github:pull-request`, for tests. */
  pullRequestAction?: TemplateAction<any, any, any>;
  /** Overrides the credentials from `integrations.github`, for tests. */
  githubCredentialsProvider?: GithubCredentialsProvider;
};

/**
 * `portal:infra:request`: asks for a database, queue or bucket for an existing service as
 * a pull request to the service's repository that adds `infra/<kind>-<environment>.tf`,
 * a call of the module registered under that kind in `pavedRoad.terraform.modules`.
 * GitHub: a pull request through `publish:github:pull-request`; the embedded default: a
 * branch in the local repository the golden path created. An identical open request is
 * reported, never opened twice.
 */
export function createInfraRequestAction(options: Options) {
  const modules = readModules(options.config);
  const target = readPublishTarget(options.config);
  const integrations = ScmIntegrations.fromConfig(options.config);
  const credentialsProvider =
    options.githubCredentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const author = readDefaultAuthor(options.config);
  let pullRequestAction = options.pullRequestAction;

  return createTemplateAction({
    id: 'portal:infra:request',
    description:
      'Requests a database, queue or bucket for an existing service: a pull request (GitHub) or branch (local repository) adding infra/<kind>-<environment>.tf, which calls the module of that name from pavedRoad.terraform.modules. Idempotent: an identical open request is reported, not opened again.',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      if (input.size && input.kind !== 'database') {
        throw new InputError(
          `Invalid input 'size': only a database has a size, not a ${input.kind}`,
        );
      }
      const size =
        input.kind === 'database' ? input.size ?? 'small' : undefined;
      const module = modules.get(input.kind);
      if (!module) {
        throw new InputError(
          `Invalid input 'kind': no Terraform module '${input.kind}' is configured in pavedRoad.terraform.modules`,
        );
      }

      let ref: CompoundEntityRef;
      try {
        ref = parseEntityRef(input.entityRef, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        });
      } catch (error) {
        throw fieldError((error as Error).message);
      }
      if (ref.kind.toLocaleLowerCase('en-US') !== 'component') {
        throw fieldError(`must be a Component, got a ${ref.kind}`);
      }
      const wanted = stringifyEntityRef(ref);
      const entity = await options.catalog.getEntityByRef(wanted, {
        credentials: await ctx.getInitiatorCredentials(),
      });
      if (!entity) {
        throw fieldError(`no component '${wanted}' that you can see`);
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
      const slug = `${facts.repoOwner}/${facts.repoName}`;
      const checkpointKey = `portal-infra-request-${slug}-${request.branch}`;
      ctx.output('service', facts.service);
      ctx.output('owner', facts.owner);
      ctx.output('filePath', request.file);

      if (target.kind === 'local') {
        if (
          !REPO_NAME.test(facts.repoOwner) ||
          !REPO_NAME.test(facts.repoName)
        ) {
          throw new NotFoundError(
            `No repository '${slug}' on the portal host: ${facts.entityRef} was not created by a golden path here`,
          );
        }
        const repo = path.join(
          target.directory,
          facts.repoOwner,
          facts.repoName,
        );
        const isRepo =
          isChildPath(target.directory, repo) &&
          (await fs
            .stat(path.join(repo, '.git'))
            .then(stat => stat.isDirectory())
            .catch(() => false));
        if (!isRepo) {
          throw new NotFoundError(
            `No repository '${slug}' on the portal host (pavedRoad.publish.local.directory): ${facts.entityRef} was not created by a golden path here`,
          );
        }
        ctx.output('provider', 'local');
        ctx.output('localPath', repo);
        ctx.output('url', `file://${repo}`);
        const propose = (inspectOnly: boolean) =>
          proposeFileOnBranch({
            repo,
            branch: request.branch,
            file: request.file,
            content: request.content,
            message: `${title}\n\nRequested through the Paved Road portal by ${
              ctx.user?.ref ?? 'an unknown user'
            }.\n`,
            author,
            inspectOnly,
          });

        if (ctx.isDryRun) {
          const plan = await propose(true);
          ctx.logger.info(
            plan.created
              ? `Dry run: would create branch ${request.branch} in ${repo} with ${request.file}:\n${request.content}`
              : `Dry run: ${plan.branch} in ${repo} already has this ${request.file}`,
          );
          ctx.output('branch', plan.branch);
          ctx.output('created', plan.created);
          return;
        }
        const result = await ctx.checkpoint({
          key: checkpointKey,
          fn: () => propose(false),
        });
        ctx.logger.info(
          result.created
            ? `Created branch ${result.branch} in ${repo} with ${request.file} (commit ${result.commitHash}); review and merge it to create the ${input.kind}`
            : `Nothing new: ${result.branch} in ${repo} already has this ${request.file}`,
        );
        ctx.output('branch', result.branch);
        ctx.output('created', result.created);
        ctx.output('commitHash', result.commitHash);
        return;
      }

      ctx.output('provider', 'github');
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would open a pull request from ${request.branch} in ${GITHUB_HOST}/${slug} with ${request.file}:\n${request.content}`,
        );
        ctx.output('branch', request.branch);
        ctx.output('created', true);
        ctx.output('url', `https://${GITHUB_HOST}/${slug}`);
        return;
      }
      const pulls = GithubPullRequests.create({
        integrations,
        credentialsProvider,
        host: GITHUB_HOST,
      });
      const result = await ctx.checkpoint({
        key: checkpointKey,
        fn: async () => {
          const open = await pulls.findOpen(
            facts.repoOwner,
            facts.repoName,
            request.branch,
          );
          if (open) {
            const onBranch = await pulls.fileAt(
              facts.repoOwner,
              facts.repoName,
              request.file,
              request.branch,
            );
            if (onBranch !== request.content) {
              throw new ConflictError(
                `Pull request ${open.url} from ${request.branch} is open with a different ${request.file}; merge or close it, then request again`,
              );
            }
            return {
              created: false,
              branch: request.branch,
              url: open.url,
              number: open.number,
            };
          }

          const defaultBranch = await pulls.defaultBranch(
            facts.repoOwner,
            facts.repoName,
          );
          const merged = await pulls.fileAt(
            facts.repoOwner,
            facts.repoName,
            request.file,
            defaultBranch,
          );
          if (merged === request.content) {
            return {
              created: false,
              branch: defaultBranch,
              url: `https://${GITHUB_HOST}/${slug}/blob/${defaultBranch}/${request.file}`,
            };
          }

          const sourcePath = `.infra-request/${input.kind}-${input.environment}`;
          const file = resolveWorkspacePath(
            ctx.workspacePath,
            path.join(sourcePath, request.file),
            'kind',
          );
          await writeWorkspaceFiles(ctx.workspacePath, [
            { path: file, content: request.content },
          ]);
          pullRequestAction ??= createPublishGithubPullRequestAction({
            integrations,
            githubCredentialsProvider: credentialsProvider,
            config: options.config,
          });
          const opened: Record<string, unknown> = {};
          await pullRequestAction.handler({
            ...ctx,
            input: {
              repoUrl: `${GITHUB_HOST}?owner=${facts.repoOwner}&repo=${facts.repoName}`,
              branchName: request.branch,
              title,
              description: `Requested through the Paved Road portal by ${
                ctx.user?.ref ?? 'an unknown user'
              } for ${
                facts.entityRef
              }.\n\nMerging this pull request creates the ${
                KIND_TITLES[input.kind]
              } (module \`${input.kind}\`, environment \`${
                input.environment
              }\`${size ? `, size \`${size}\`` : ''}).`,
              sourcePath,
              commitMessage: title,
              createWhenEmpty: false,
            },
            output: (name: string, value: unknown) => {
              opened[name] = value;
            },
          });
          if (typeof opened.remoteUrl !== 'string') {
            // createWhenEmpty: false found no change after all: merged meanwhile
            return {
              created: false,
              branch: defaultBranch,
              url: `https://${GITHUB_HOST}/${slug}/blob/${defaultBranch}/${request.file}`,
            };
          }
          return {
            created: true,
            branch: request.branch,
            url: opened.remoteUrl,
            number: Number(opened.pullRequestNumber),
          };
        },
      });
      ctx.logger.info(
        result.created
          ? `Opened pull request ${result.url} with ${request.file}; review and merge it to create the ${input.kind}`
          : `Nothing new: ${result.url} already has this ${request.file}`,
      );
      ctx.output('branch', result.branch);
      ctx.output('created', result.created);
      ctx.output('url', result.url);
      if (result.number !== undefined) {
        ctx.output('pullRequestUrl', result.url);
        ctx.output('pullRequestNumber', result.number);
      }
    },
  });
}
