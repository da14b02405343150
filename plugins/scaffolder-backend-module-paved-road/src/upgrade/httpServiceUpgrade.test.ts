import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gitCli } from '../__testUtils__/portalContext';
import {
  commitFiles,
  NODE_HTTP_LAYERS,
  readSkeletonLayers,
  upgradeFixture,
} from '../__testUtils__/upgradeFixture';
import { ANSWERS_FILE } from './answers';
import { upgradeService } from './upgradeService';

// The real http-service skeletons (Node.js), scaffolded at version 1 and upgraded to a
// version 2 the test makes of them, the way the platform team would change them.

jest.setTimeout(120_000);

const LAYERS = NODE_HTTP_LAYERS;

const values = {
  name: 'orders',
  description: 'Takes orders',
  language: 'node',
  kind: 'http',
  owner: 'group:default/payments-team',
  ownerName: 'payments-team',
  system: 'system:default/payments',
  systemName: 'payments',
  namespace: 'payments',
  costCenter: 'CC-1001',
  onCall: 'PABC123',
  lifecycle: 'experimental',
  githubOrg: 'acme',
  repoSlug: 'acme/orders',
  repoUrl: 'https://github.com/acme/orders',
  templateRef: 'template:default/http-service',
  template: 'http-service',
};

describe('upgrading a service made from the real http-service skeletons', () => {
  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;

  afterEach(() => fixture?.cleanup());

  it('applies the template change around the service edits, and the service still passes its tests', async () => {
    const skeletons = readSkeletonLayers(LAYERS);
    fixture = await upgradeFixture({ template: 'http-service', skeletons });
    const repo = { host: 'github.com', owner: 'acme', name: 'orders' };
    const service = await fixture.scaffold(repo, values, LAYERS);
    const read = (file: string) =>
      fs.readFileSync(path.join(service, file), 'utf8');

    const routes = read('src/routes.ts').replace(
      '  ];\n}',
      "    {\n      method: 'GET',\n      path: '/orders',\n      handler: () => ({ status: 200, body: [] }),\n    },\n  ];\n}",
    );
    expect(routes).toContain("path: '/orders'");
    commitFiles(
      service,
      {
        'src/routes.ts': routes,
        'deploy/helm/values.yaml': read('deploy/helm/values.yaml')
          .replace('replicaCount: 2', 'replicaCount: 4')
          .replace('    memory: 256Mi', '    memory: 1Gi'),
        'docs/runbook.md': undefined,
      },
      'Orders: a route, more replicas and memory; no runbook here',
    );

    const service_ = skeletons.service;
    fixture.commitPortal(
      {
        'skeletons/service/.github/workflows/ci.yml': service_[
          '.github/workflows/ci.yml'
        ].replace(
          '      - run: npm test\n',
          '      - run: npm test\n      - run: npm audit --omit=dev\n',
        ),
        'skeletons/service/deploy/helm/values.yaml': service_[
          'deploy/helm/values.yaml'
        ].replace('    memory: 256Mi', '    memory: 384Mi'),
        'skeletons/service/.github/dependabot.yml':
          'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n',
        'skeletons/node-common/Dockerfile': skeletons[
          'node-common'
        ].Dockerfile.replace(
          'FROM node:22-bookworm-slim AS build',
          'FROM node:22.18-bookworm-slim AS build',
        ),
      },
      2,
    );

    const outcome = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
    });

    expect(outcome).toMatchObject({
      state: 'proposed',
      created: true,
      conflicts: ['deploy/helm/values.yaml'],
      kept: [],
    });
    const branch = 'paved-road/upgrade-2';
    const git = (...args: string[]) => gitCli(service, args);
    expect(git('rev-list', '--count', `main..${branch}`)).toBe('1');
    expect(git('diff', '--name-status', 'main', branch).split('\n')).toEqual([
      'A\t.github/dependabot.yml',
      'M\t.github/workflows/ci.yml',
      `M\t${ANSWERS_FILE}`,
      'M\tDockerfile',
      'M\tcatalog-info.yaml',
      'M\tdeploy/helm/values.yaml',
    ]);
    // exactly the template's lines, and one conflict
    const diff = git(
      'diff',
      '--unified=0',
      'main',
      branch,
      '--',
      'Dockerfile',
      '.github/workflows/ci.yml',
    );
    expect(diff.split('\n').filter(line => /^[-+][^-+]/.test(line))).toEqual([
      '+      - run: npm audit --omit=dev',
      '-FROM node:22-bookworm-slim AS build',
      '+FROM node:22.18-bookworm-slim AS build',
    ]);
    expect(git('diff', 'main', branch, '--', 'catalog-info.yaml')).toMatch(
      /- {4}paved-road.io\/template-version: "1"\n\+ {4}paved-road.io\/template-version: "2"/,
    );
    const helm = git('show', `${branch}:deploy/helm/values.yaml`);
    expect(helm).toContain('replicaCount: 4');
    expect(helm.match(/^<<<<<<< /gm)).toHaveLength(1);
    expect(helm).toContain(
      '    memory: 1Gi\n||||||| http-service version 1\n    memory: 256Mi\n=======\n    memory: 384Mi\n>>>>>>> http-service version 2',
    );

    // the app, untouched by the conflict, still passes its own tests
    const checkout = path.join(fixture.root, 'checkout');
    gitCli(fixture.root, [
      'clone',
      '--quiet',
      '--branch',
      branch,
      service,
      checkout,
    ]);
    expect(fs.readFileSync(path.join(checkout, 'src/routes.ts'), 'utf8')).toBe(
      routes,
    );
    const { stdout } = await promisify(execFile)('npm', ['test'], {
      cwd: checkout,
      env: { PATH: process.env.PATH, HOME: fixture.root },
    });
    expect(stdout).toMatch(/# fail 0/);

    await expect(
      upgradeService(fixture.engine, { repo, ctx: fixture.ctx() }),
    ).resolves.toMatchObject({ created: false, branch });
    expect(git('rev-list', '--count', `main..${branch}`)).toBe('1');
  });
});
