import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fc from 'fast-check';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { readPavedRoadConfig } from '../config';
import { createInfraRequestAction } from './infraRequest';
import { examples } from './infraRequest.examples';
import { captureLogger } from '../__testUtils__/captureLogger';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { checkpointStore } from '../__testUtils__/harness';
import { evaluatedString } from '../__testUtils__/hcl2json';
import { publishOptions } from '../__testUtils__/pavedRoadOptions';
import { gitCli, writeFiles } from '../__testUtils__/portalContext';

const SOURCE =
  'git::https://github.com/paved-road-demo/portal.git//terraform/modules';
const MODULES = {
  database: { source: `${SOURCE}/database?ref=main` },
  queue: { source: `${SOURCE}/queue?ref=main` },
  bucket: { source: `${SOURCE}/bucket?ref=main` },
};
const author = { name: 'Portal Bot', email: 'portal-bot@acme.example' };
const USER = 'user:default/jane.doe';

function component(
  name: string,
  annotations: Record<string, string>,
  extra: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
    ...extra,
  };
}

const ordersApi = component('orders-api', {
  'github.com/project-slug': 'paved-road-demo/orders-api',
  'cost-center': 'CC-1001',
});
const paymentsApi = component('payments-api', {
  'github.com/project-slug': 'paved-road-demo/payments-api',
  'cost-center': 'CC-1001',
});
const legacyBilling = component('legacy-billing', {
  'github.com/project-slug': 'paved-road-demo/legacy-billing',
});
const noRepo = component('no-repo', { 'cost-center': 'CC-2040' });
// from the sample catalog: on GitHub, never created on this host
const riskScoring = component('risk-scoring', {
  'github.com/project-slug': 'paved-road-demo/risk-scoring',
  'cost-center': 'CC-3001',
});

const EXPECTED_DATABASE = `# PostgreSQL database for production, requested through the Paved Road portal.

module "database_production" {
  source      = "${SOURCE}/database?ref=main"
  service     = "orders-api"
  environment = "production"
  size        = "small"
  owner       = "group:default/payments-team"
  cost_center = "CC-1001"
}
`;

describe('portal:infra:request', () => {
  let root: string;
  let reposDir: string;
  let workspacePath: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-request-'));
    reposDir = path.join(root, 'repos');
    workspacePath = path.join(root, 'workspace');
    fs.mkdirSync(workspacePath);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function config(target: 'local' | 'github', extra: JsonObject = {}) {
    return new ConfigReader({
      pavedRoad: {
        publish: { target, local: { directory: reposDir } },
        terraform: { modules: MODULES },
      },
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_portal-token-do-not-log' }],
      },
      scaffolder: { defaultAuthor: author },
      ...extra,
    });
  }

  /** A service repository as the golden path publishes it (the host portal:repo:publish uses). */
  async function publishServiceRepo(name: string): Promise<string> {
    const source = path.join(root, `render-${name}`);
    writeFiles(source, {
      'README.md': `# ${name}\n`,
      'infra/main.tf': 'module "svc" {}\n',
      'catalog-info.yaml': `kind: Component\nmetadata:\n  name: ${name}\n`,
    });
    const published = await publishOptions(
      config('local'),
    ).host.createRepository({
      repo: { host: 'github.com', owner: 'paved-road-demo', name },
      sourceDir: source,
      logger: mockServices.logger.mock(),
    });
    return published.localPath!;
  }

  function catalog() {
    return catalogServiceMock({
      entities: [ordersApi, paymentsApi, legacyBilling, noRepo, riskScoring],
    });
  }

  async function run(
    input: JsonObject,
    options: {
      target?: 'local' | 'github';
      isDryRun?: boolean;
      checkpoints?: ReturnType<typeof checkpointStore>;
      catalog?: ReturnType<typeof catalogServiceMock>;
      config?: ConfigReader;
      /** The task running the step (default: the mock's). */
      taskId?: string;
    } = {},
  ) {
    const { logger, lines } = captureLogger();
    const outputs: Record<string, unknown> = {};
    const ctx = {
      ...createMockActionContext({
        input,
        workspacePath,
        logger,
        user: { ref: USER },
        ...(options.taskId ? { task: { id: options.taskId } } : {}),
      }),
      isDryRun: options.isDryRun ?? false,
      output: (name: string | number | symbol, value: unknown) => {
        outputs[String(name)] = value;
      },
    };
    if (options.checkpoints) {
      ctx.checkpoint = options.checkpoints.checkpoint as typeof ctx.checkpoint;
    }
    const actionConfig = options.config ?? config(options.target ?? 'local');
    let error: Error | undefined;
    try {
      await createInfraRequestAction({
        host: publishOptions(actionConfig).host,
        catalog: options.catalog ?? catalog(),
        modules: readPavedRoadConfig(actionConfig).terraform.modules,
      }).handler(ctx as any);
    } catch (e) {
      error = e as Error;
    }
    expect([...lines, error?.message ?? ''].join('\n')).not.toContain(
      'ghp_portal-token',
    );
    return { outputs, lines, error };
  }

  const git = (repo: string, ...args: string[]) => gitCli(repo, args);

  describe("with target 'local'", () => {
    let repo: string;
    let mainBefore: string;
    beforeEach(async () => {
      repo = await publishServiceRepo('orders-api');
      mainBefore = git(repo, 'rev-parse', 'main');
    });

    const request = {
      entityRef: 'component:default/orders-api',
      kind: 'database',
      environment: 'production',
      size: 'small',
    };

    it('opens a branch with one commit adding the Terraform file, leaving main and the working tree alone', async () => {
      const { outputs, lines, error } = await run(request);

      expect(error).toBeUndefined();
      const head = git(repo, 'rev-parse', 'infra/database-production');
      expect(outputs).toEqual({
        service: 'orders-api',
        owner: 'group:default/payments-team',
        provider: 'local',
        branch: 'infra/database-production',
        created: true,
        filePath: 'infra/database-production.tf',
        url: 'http://localhost:3000/repositories/paved-road-demo/orders-api/compare/infra/database-production',
        localPath: repo,
        commitHash: head,
      });
      expect(git(repo, 'rev-parse', `${head}^`)).toBe(mainBefore);
      expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);
      expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
      expect(git(repo, 'status', '--porcelain', '--ignored')).toBe('');
      expect(
        fs.existsSync(path.join(repo, 'infra/database-production.tf')),
      ).toBe(false);
      expect(
        git(repo, 'diff', '--name-status', 'main', 'infra/database-production'),
      ).toBe('A\tinfra/database-production.tf');
      const file = gitCli(repo, [
        'show',
        'infra/database-production:infra/database-production.tf',
      ]);
      expect(`${file}\n`).toBe(EXPECTED_DATABASE);
      expect(
        git(
          repo,
          'log',
          '-1',
          '--format=%an <%ae>|%s|%b',
          'infra/database-production',
        ),
      ).toBe(
        `Portal Bot <portal-bot@acme.example>|PostgreSQL database for orders-api (production, small)|Requested through the Paved Road portal by ${USER}.\n\nPaved-Road-Task: mock-task-id`,
      );
      expect(lines).toContain(
        `info Created branch infra/database-production in ${repo} with infra/database-production.tf (commit ${head}); review and merge it to create the database`,
      );
    });

    it("runs none of the repository's hooks", async () => {
      const marker = path.join(root, 'hook-ran');
      const hook = path.join(repo, '.git/hooks/reference-transaction');
      fs.writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });

      const { error } = await run(request);

      expect(error).toBeUndefined();
      expect(fs.existsSync(marker)).toBe(false);
    });

    it('writes a file Terraform reads back with the same values', async () => {
      await run(request);
      const text = gitCli(repo, [
        'show',
        'infra/database-production:infra/database-production.tf',
      ]);
      const parsed = await parseHcl('database-production.tf', text);
      const [module] = parsed.module.database_production;
      expect(
        Object.fromEntries(
          Object.entries(module).map(([k, v]) => [k, evaluatedString(v)]),
        ),
      ).toEqual({
        source: MODULES.database.source,
        service: 'orders-api',
        environment: 'production',
        size: 'small',
        owner: 'group:default/payments-team',
        cost_center: 'CC-1001',
      });
    });

    it('opens nothing new for the same request, and says so', async () => {
      const first = await run(request, { taskId: 'task-1' });
      const refsBefore = git(
        repo,
        'for-each-ref',
        '--format=%(refname) %(objectname)',
      );
      const objectsBefore = git(repo, 'count-objects', '-v');

      const second = await run(request, { taskId: 'task-2' });

      expect(second.error).toBeUndefined();
      expect(second.outputs).toEqual({ ...first.outputs, created: false });
      expect(
        git(repo, 'for-each-ref', '--format=%(refname) %(objectname)'),
      ).toBe(refsBefore);
      expect(git(repo, 'count-objects', '-v')).toBe(objectsBefore);
      expect(second.lines).toContain(
        `info Nothing new: infra/database-production in ${repo} already has this infra/database-production.tf`,
      );
    });

    it('reports the first outcome again when a recovered task reruns the step', async () => {
      const checkpoints = checkpointStore();
      const first = await run(request, { checkpoints });
      const second = await run(request, { checkpoints });
      expect(second.outputs).toEqual(first.outputs);
      expect(second.outputs.created).toBe(true);
    });

    it('reports the request it opened as created when a restart came before the checkpoint', async () => {
      const first = await run(request);
      const head = git(repo, 'rev-parse', 'infra/database-production');

      // no checkpoints: the backend stopped right after the branch was created
      const second = await run(request);

      expect(second.outputs).toEqual(first.outputs);
      expect(second.outputs.created).toBe(true);
      expect(git(repo, 'rev-parse', 'infra/database-production')).toBe(head);
    });

    it('refuses a different request on a branch that is still open', async () => {
      await run(request);
      const head = git(repo, 'rev-parse', 'infra/database-production');

      const { error } = await run({ ...request, size: 'large' });

      expect(error).toBeInstanceOf(ConflictError);
      expect(error?.message).toBe(
        "The branch 'infra/database-production' already exists with a different infra/database-production.tf; merge or delete it, then request again",
      );
      expect(git(repo, 'rev-parse', 'infra/database-production')).toBe(head);
    });

    it('opens nothing once the request is merged', async () => {
      await run(request);
      git(repo, 'merge', '--ff-only', '--quiet', 'infra/database-production');
      git(repo, 'branch', '-D', 'infra/database-production');
      const merged = git(repo, 'rev-parse', 'main');

      const { outputs } = await run(request);

      expect(outputs).toMatchObject({
        branch: 'main',
        created: false,
        commitHash: merged,
      });
      expect(git(repo, 'branch', '--list', '--format=%(refname:short)')).toBe(
        'main',
      );
    });

    it('writes queues and buckets without a size, each on its own branch', async () => {
      await run({ ...request, kind: 'queue', size: undefined });
      await run({
        entityRef: 'orders-api',
        kind: 'bucket',
        environment: 'staging',
      });

      expect(
        git(repo, 'branch', '--list', '--format=%(refname:short)').split('\n'),
      ).toEqual(['infra/bucket-staging', 'infra/queue-production', 'main']);
      const queue = gitCli(repo, [
        'show',
        'infra/queue-production:infra/queue-production.tf',
      ]);
      expect(queue).toContain('module "queue_production" {');
      expect(queue).toContain(`source      = "${SOURCE}/queue?ref=main"`);
      expect(queue).not.toContain('size');
      // the queue's branch has the queue only
      expect(
        git(repo, 'diff', '--name-only', 'main', 'infra/bucket-staging'),
      ).toBe('infra/bucket-staging.tf');
    });

    it('reads the entity with the credentials of the user who runs the task', async () => {
      const mock = catalog();
      const spy = jest.spyOn(mock, 'getEntityByRef');
      await run(request, { catalog: mock });
      expect(spy).toHaveBeenCalledWith('component:default/orders-api', {
        credentials: mockCredentials.user(),
      });
    });

    it.each<[string, JsonObject, string]>([
      [
        'a component the user cannot see',
        { entityRef: 'component:default/secret-service' },
        "Invalid input: field 'entityRef': no component 'component:default/secret-service' that you can see",
      ],
      [
        'something other than a component',
        { entityRef: 'system:default/payments' },
        "Invalid input: field 'entityRef': must be a Component, got a system",
      ],
      [
        'a component without a cost center',
        { entityRef: 'component:default/legacy-billing' },
        "Invalid input: field 'entityRef': component:default/legacy-billing needs a 'cost-center' annotation",
      ],
      [
        'a component without a repository',
        { entityRef: 'component:default/no-repo' },
        "Invalid input: field 'entityRef': component:default/no-repo needs a 'github.com/project-slug' annotation",
      ],
      [
        'a size for a queue',
        { kind: 'queue' },
        "Invalid input: field 'size': only a database has a size, not a queue",
      ],
      [
        'an unknown kind',
        { kind: 'cache' },
        "Invalid input: field 'kind': must be one of: database, queue, bucket",
      ],
      [
        'an unknown environment',
        { environment: 'prod' },
        "Invalid input: field 'environment'",
      ],
      [
        'no environment',
        { environment: undefined },
        "Invalid input: field 'environment': is required",
      ],
    ])('refuses %s and creates nothing', async (_, patch, message) => {
      const { error } = await run({ ...request, ...patch });
      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toContain(message);
      expect(git(repo, 'branch', '--list', '--format=%(refname:short)')).toBe(
        'main',
      );
    });

    it.each([
      ['a name with a space', 'component:default/orders api'],
      ['a slash too many', 'component:default/orders/api'],
      ['an empty name', 'component:default/'],
      ['a name over 63 characters', `component:default/${'a'.repeat(64)}`],
      ['a NUL', 'component:default/orders\u0000'],
    ])(
      'refuses an entityRef with %s as the user input it is',
      async (_, entityRef) => {
        const mock = catalog();
        const spy = jest.spyOn(mock, 'getEntityByRef');
        const { error } = await run(
          { ...request, entityRef },
          { catalog: mock },
        );
        expect(error).toBeInstanceOf(InputError);
        expect(error?.message).toMatch(/^Invalid input: field 'entityRef': /);
        expect(spy).not.toHaveBeenCalled();
      },
    );

    it('turns a catalog that refuses the reference (400) into an InputError naming entityRef', async () => {
      const mock = catalog();
      jest.spyOn(mock, 'getEntityByRef').mockImplementation(async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'InputError', message: 'Malformed entity ref' },
              request: { method: 'GET', url: '/entities/by-name/x' },
              response: { statusCode: 400 },
            }),
            {
              status: 400,
              statusText: 'Bad Request',
              headers: { 'Content-Type': 'application/json' },
            },
          ),
        );
      });
      const { error } = await run(request, { catalog: mock });
      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toBe(
        "Invalid input: field 'entityRef': the catalog cannot look up 'component:default/orders-api': Malformed entity ref",
      );
    });

    it('answers any text as entityRef with a result or an InputError naming it', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 40 }),
            fc
              .tuple(
                fc.constantFrom('', 'component:', 'Component:', 'system:'),
                fc.constantFrom('', 'default/', 'Default/', 'a b/', '/'),
                fc.string({ maxLength: 20 }),
              )
              .map(parts => parts.join('')),
          ),
          async entityRef => {
            const { error } = await run(
              { ...request, entityRef },
              { isDryRun: true },
            );
            const outcome =
              error === undefined ||
              (error instanceof InputError &&
                /field 'entityRef'/.test(error.message))
                ? 'a result or an InputError naming entityRef'
                : `${error.name}: ${error.message}`;
            expect(outcome).toBe('a result or an InputError naming entityRef');
          },
        ),
        { numRuns: 200 },
      );
    });

    it('says which module is missing from the config', async () => {
      const { error } = await run(request, {
        config: new ConfigReader({
          pavedRoad: {
            publish: { target: 'local', local: { directory: reposDir } },
            terraform: { modules: { queue: MODULES.queue } },
          },
        }),
      });
      expect(error).toBeInstanceOf(InputError);
      expect(error?.message).toBe(
        "Invalid input: field 'kind': no Terraform module 'database' is configured in pavedRoad.terraform.modules",
      );
    });

    it('says a service from elsewhere has no repository on this host', async () => {
      const { error } = await run({
        ...request,
        entityRef: 'component:default/risk-scoring',
      });
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error?.message).toBe(
        'risk-scoring has no repository on this portal (it was not created by a golden path here), so there is nowhere to open the request: ask the platform team.',
      );
    });

    it('changes nothing in a dry run, and shows the file', async () => {
      const { outputs, lines } = await run(request, { isDryRun: true });
      expect(outputs).toMatchObject({
        branch: 'infra/database-production',
        created: true,
      });
      expect(git(repo, 'branch', '--list', '--format=%(refname:short)')).toBe(
        'main',
      );
      expect(lines.join('\n')).toContain(EXPECTED_DATABASE.trim());
    });

    it('runs every documented example', async () => {
      await publishServiceRepo('payments-api');
      const payments = path.join(reposDir, 'paved-road-demo', 'payments-api');
      for (const example of examples) {
        const [step] = parse(example.example).steps;
        expect(step.action).toBe('portal:infra:request');
        const input = {
          ...step.input,
          entityRef: step.input.entityRef.replace(
            '${{ parameters.service }}',
            'component:default/payments-api',
          ),
        };
        const { error, outputs } = await run(input);
        expect(error).toBeUndefined();
        expect(outputs.created).toBe(true);
        expect(
          git(payments, 'rev-parse', '--verify', outputs.branch as string),
        ).toBe(outputs.commitHash);
      }
    });
  });

  describe("with target 'github'", () => {
    const github = new FakeGithub({
      token: 'ghp_portal-token-do-not-log',
      organizations: ['paved-road-demo'],
      user: 'portal-bot',
    });
    const server = setupServer(...github.handlers());
    beforeAll(async () => {
      await github.start();
      server.listen({ onUnhandledRequest: 'error' });
    });
    afterAll(async () => {
      server.close();
      await github.stop();
    });
    const gh = (...args: string[]) =>
      github.run('paved-road-demo', 'orders-api', args);
    let mainBefore: string;
    beforeEach(() => {
      github.reset();
      github.seedRepository('paved-road-demo', 'orders-api', {
        'README.md': '# orders-api\n',
        'infra/main.tf': 'module "svc" {}\n',
      });
      mainBefore = gh('rev-parse', 'main');
    });

    const calls = () => github.requests.map(r => `${r.method} ${r.path}`);
    const writes = () => calls().filter(c => !c.startsWith('GET '));
    const repoApi = '/repos/paved-road-demo/orders-api';
    const request = {
      entityRef: 'component:default/orders-api',
      kind: 'database',
      environment: 'production',
    };

    it('opens a pull request with one commit on main adding the file', async () => {
      const { outputs, error } = await run(request, { target: 'github' });

      expect(error).toBeUndefined();
      expect(outputs).toEqual({
        service: 'orders-api',
        owner: 'group:default/payments-team',
        provider: 'github',
        filePath: 'infra/database-production.tf',
        branch: 'infra/database-production',
        created: true,
        url: 'https://github.com/paved-road-demo/orders-api/pull/42',
        pullRequestUrl: 'https://github.com/paved-road-demo/orders-api/pull/42',
        pullRequestNumber: 42,
      });
      const [pull] = github.pulls;
      expect(pull).toMatchObject({
        number: 42,
        title: 'PostgreSQL database for orders-api (production, small)',
        head: { ref: 'infra/database-production' },
        base: { ref: 'main' },
      });
      expect(pull.body).toContain(
        `Requested through the Paved Road portal by ${USER} for component:default/orders-api.`,
      );
      expect(gh('rev-parse', 'infra/database-production^')).toBe(mainBefore);
      expect(gh('rev-parse', 'main')).toBe(mainBefore);
      expect(
        gh('diff', '--name-status', 'main', 'infra/database-production'),
      ).toBe('A\tinfra/database-production.tf');
      expect(
        github.fileAt(
          'paved-road-demo',
          'orders-api',
          'infra/database-production',
          'infra/database-production.tf',
        ),
      ).toBe(EXPECTED_DATABASE);
      expect(
        gh('log', '-1', '--format=%an <%ae>|%s', 'infra/database-production'),
      ).toBe(
        'Portal Bot <portal-bot@acme.example>|PostgreSQL database for orders-api (production, small)',
      );
      expect(calls()).toEqual([
        `GET ${repoApi}/pulls?state=open&head=paved-road-demo%3Ainfra%2Fdatabase-production&per_page=1`,
        `GET ${repoApi}`,
        `GET ${repoApi}/contents/infra/database-production.tf?ref=main`,
        `GET ${repoApi}`,
        `GET ${repoApi}/git/ref/heads/main`,
        `GET ${repoApi}/git/commits/${mainBefore}`,
        `POST ${repoApi}/git/trees`,
        `POST ${repoApi}/git/commits`,
        `POST ${repoApi}/git/refs`,
        `POST ${repoApi}/pulls`,
      ]);
    });

    it('reports the open pull request with the same file and opens no second one', async () => {
      github.commit(
        'paved-road-demo',
        'orders-api',
        'infra/database-production',
        {
          'infra/database-production.tf': EXPECTED_DATABASE,
        },
      );
      github.openPull(
        'paved-road-demo',
        'orders-api',
        'infra/database-production',
        41,
      );

      const { outputs } = await run(request, { target: 'github' });

      expect(writes()).toEqual([]);
      expect(github.pulls).toHaveLength(1);
      expect(outputs).toMatchObject({
        created: false,
        url: 'https://github.com/paved-road-demo/orders-api/pull/41',
        pullRequestNumber: 41,
      });
    });

    it('reports the pull request it opened as created after a restart before the checkpoint', async () => {
      const first = await run(request, { target: 'github' });

      const second = await run(request, { target: 'github' });

      expect(second.error).toBeUndefined();
      expect(github.pulls).toHaveLength(1);
      expect(second.outputs).toMatchObject({
        created: true,
        url: first.outputs.url,
        pullRequestNumber: first.outputs.pullRequestNumber,
      });
    });

    it('opens the pull request from the branch it created before a restart', async () => {
      // the first attempt created the branch, then the backend stopped
      await run(request, { target: 'github' });
      const branchHead = github.run('paved-road-demo', 'orders-api', [
        'rev-parse',
        'infra/database-production',
      ]);
      github.pulls.length = 0;

      const { outputs, error } = await run(request, { target: 'github' });

      expect(error).toBeUndefined();
      expect(github.pulls).toHaveLength(1);
      expect(github.pulls[0].head.ref).toBe('infra/database-production');
      expect(outputs.created).toBe(true);
      expect(
        github.run('paved-road-demo', 'orders-api', [
          'rev-parse',
          'infra/database-production',
        ]),
      ).toBe(branchHead);
    });

    it('refuses when the open pull request holds a different file', async () => {
      github.commit(
        'paved-road-demo',
        'orders-api',
        'infra/database-production',
        {
          'infra/database-production.tf': EXPECTED_DATABASE.replace(
            'small',
            'large',
          ),
        },
      );
      github.openPull(
        'paved-road-demo',
        'orders-api',
        'infra/database-production',
        41,
      );

      const { error } = await run(request, { target: 'github' });

      expect(error).toBeInstanceOf(ConflictError);
      expect(error?.message).toContain(
        'pull/41 from infra/database-production is open with a different',
      );
      expect(writes()).toEqual([]);
    });

    it('opens nothing when the default branch already has the file', async () => {
      github.commit('paved-road-demo', 'orders-api', 'main', {
        'infra/database-production.tf': EXPECTED_DATABASE,
      });

      const { outputs } = await run(request, { target: 'github' });

      expect(writes()).toEqual([]);
      expect(outputs).toMatchObject({
        created: false,
        branch: 'main',
        url: 'https://github.com/paved-road-demo/orders-api/blob/main/infra/database-production.tf',
      });
    });

    it("reports GitHub's refusal", async () => {
      const { error } = await run(request, {
        target: 'github',
        config: config('github', {
          integrations: {
            github: [{ host: 'github.com', token: 'ghp_expired' }],
          },
        }),
      });
      expect(error?.message).toBe(
        'GitHub refused to list the pull requests of paved-road-demo/orders-api; caused by ResponseError: Request failed with 401 Unauthorized',
      );
    });

    it('calls GitHub not at all in a dry run', async () => {
      const { outputs } = await run(request, {
        target: 'github',
        isDryRun: true,
      });
      expect(github.requests).toEqual([]);
      expect(outputs).toMatchObject({
        provider: 'github',
        branch: 'infra/database-production',
        url: 'https://github.com/paved-road-demo/orders-api',
      });
    });
  });
});
