import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { evaluatedString } from '../__testUtils__/hcl2json';
import {
  appConfigTerraformModules,
  formValues,
  GoldenPathBackend,
  runTemplate,
  startGoldenPathBackend,
  expectCompleted,
} from './__testUtils__/portalBackend';

// The self-service infra templates end to end on the embedded defaults: a service made by
// the golden path (a local git repository, registered in the catalog), then requests for
// its database, queue and bucket as real tasks through the real catalog and scaffolder.

jest.setTimeout(300_000);

const run = promisify(execFile);
const NAME = 'inventory-api';
const SERVICE = `component:default/${NAME}`;

let backend: GoldenPathBackend;
let repo: string;
const git = async (...args: string[]) =>
  (await run('git', ['-C', repo, ...args])).stdout.trim();

beforeAll(async () => {
  backend = await startGoldenPathBackend();
  const created = await runTemplate(backend.server, 'http-service', {
    ...formValues('http-service', 'node'),
    name: NAME,
    repoUrl: `github.com?owner=paved-road-demo&repo=${NAME}`,
  });
  if (created.status !== 'completed') {
    throw new Error(`the golden path failed: ${created.log}`);
  }
  repo = path.join(backend.reposDir, 'paved-road-demo', NAME);
});
afterAll(async () => {
  await backend?.close();
});

describe('Request a managed database', () => {
  const values = {
    service: SERVICE,
    environment: 'production',
    size: 'medium',
  };

  it('opens a branch in the service repository with the module call, and links it', async () => {
    const mainBefore = await git('rev-parse', 'main');

    const task = await runTemplate(backend.server, 'request-database', values);

    expectCompleted(task);
    expect(task.output.links).toEqual([
      {
        title: 'Pull request: infra/database-production',
        url: `http://localhost:3000/repositories/paved-road-demo/${NAME}/compare/infra/database-production`,
      },
      { title: 'Back to the service', icon: 'catalog', entityRef: SERVICE },
    ]);
    expect(task.output.text[0].content).toContain(
      'Opened `infra/database-production.tf` on `infra/database-production`.',
    );

    // one commit on top of main, main itself untouched
    expect(await git('rev-parse', 'main')).toBe(mainBefore);
    expect(await git('rev-parse', 'infra/database-production^')).toBe(
      mainBefore,
    );
    expect(
      await git('diff', '--name-status', 'main', 'infra/database-production'),
    ).toBe('A\tinfra/database-production.tf');

    const file = await git(
      'show',
      'infra/database-production:infra/database-production.tf',
    );
    const [module] = (await parseHcl('database-production.tf', file)).module
      .database_production;
    expect(
      Object.fromEntries(
        Object.entries(module).map(([k, v]) => [k, evaluatedString(v)]),
      ),
    ).toEqual({
      source: (appConfigTerraformModules().database as { source: string })
        .source,
      service: NAME,
      environment: 'production',
      size: 'medium',
      owner: 'group:default/payments-team',
      cost_center: 'CC-1001',
    });
  });

  it('opens nothing new for the same request, and says which one is open', async () => {
    const refs = await git('for-each-ref');

    const task = await runTemplate(backend.server, 'request-database', values);

    expect(task.status).toBe('completed');
    expect(await git('for-each-ref')).toBe(refs);
    expect(task.output.links[0]).toEqual({
      title: 'Pull request: infra/database-production',
      url: `http://localhost:3000/repositories/paved-road-demo/${NAME}/compare/infra/database-production`,
    });
    expect(task.output.text[0].content).toContain(
      'Already requested, nothing new opened: `infra/database-production.tf` on `infra/database-production`.',
    );
    expect(task.log).toContain('Nothing new: infra/database-production');
    // and it is not counted as a new request
    expect(task.log).toContain('Skipping step emit');
  });

  it('refuses a different request while the first is open', async () => {
    const task = await runTemplate(backend.server, 'request-database', {
      ...values,
      size: 'large',
    });
    expect(task.status).toBe('failed');
    expect(task.log).toContain(
      "The branch 'infra/database-production' already exists with a different infra/database-production.tf",
    );
  });

  it('says that a service from elsewhere has no repository here', async () => {
    const task = await runTemplate(backend.server, 'request-database', {
      ...values,
      service: 'component:default/payments-api',
    });
    expect(task.status).toBe('failed');
    // the developer's sentence; where the portal looked is for the backend log
    expect(task.log).toContain(
      'NotFoundError: payments-api has no repository on this portal (it was not created by a golden path here), so there is nowhere to open the request: ask ',
    );
    expect(task.log).not.toContain('pavedRoad.publish.local.directory');
  });

  it('checks the form again on the server', async () => {
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/request-database',
        values: { ...values, size: 'huge' },
      });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('size');
  });
});

describe.each([
  ['request-queue', 'queue', 'staging'],
  ['request-bucket', 'bucket', 'development'],
])('%s', (template, kind, environment) => {
  it(`opens infra/${kind}-${environment} with the ${kind} module`, async () => {
    const task = await runTemplate(backend.server, template, {
      service: SERVICE,
      environment,
    });
    expect(task.status).toBe('completed');
    const branch = `infra/${kind}-${environment}`;
    expect(task.output.links[0].title).toBe(`Pull request: ${branch}`);
    const file = await git('show', `${branch}:${branch}.tf`);
    const [module] = (await parseHcl('x.tf', file)).module[
      `${kind}_${environment}`
    ];
    expect(module.source).toBe(
      (appConfigTerraformModules()[kind] as { source: string }).source,
    );
    expect(module.size).toBeUndefined();
    expect(await git('diff', '--name-only', 'main', branch)).toBe(
      `${branch}.tf`,
    );
  });
});
