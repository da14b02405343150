import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { gitCli, listFiles } from '../__testUtils__/portalContext';
import { commitFiles, upgradeFixture } from '../__testUtils__/upgradeFixture';
import { ANSWERS_FILE } from './answers';
import { upgradeService } from './upgradeService';

const CI_V1 = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;
const VALUES_V1 = `replicaCount: 2
image:
  repository: \${{ values.name }}
resources:
  limits:
    memory: 256Mi
`;
const DOCKERFILE_V1 = `FROM node:22-alpine
WORKDIR /app
COPY . .
USER node
CMD ["node", "server.js"]
`;
const ROUTES_V1 = `export const routes = {
  '/healthz': () => 'ok',
};
`;

/** Two layers, as a golden path renders them: shared files and the app. */
const SKELETONS = {
  service: {
    '.github/workflows/ci.yml': CI_V1,
    'deploy/values.yaml': VALUES_V1,
    'docs/optional.md': '# Optional notes for ${{ values.name }}\n',
    'docs/legacy.md': 'Soon gone\n',
    'catalog-info.yaml':
      'metadata:\n  name: ${{ values.name }}\n  annotations:\n    paved-road.io/template-version: "${{ values.templateVersion }}"\n',
  },
  app: {
    Dockerfile: DOCKERFILE_V1,
    'src/routes.js': ROUTES_V1,
    '${{ values.name }}.md': 'About ${{ values.name }}\n',
  },
};

const repo = { host: 'github.com', owner: 'acme', name: 'orders' };
const values = { name: 'orders', owner: 'group:default/payments' };

describe('upgradeService', () => {
  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;
  let service: string;
  const git = (...args: string[]) => gitCli(service, args);

  beforeEach(async () => {
    fixture = await upgradeFixture({
      template: 'tiny-service',
      skeletons: SKELETONS,
    });
    service = await fixture.scaffold(repo, values, ['service', 'app']);
  });
  afterEach(() => fixture.cleanup());

  /** The service team's edits on main after it was made. */
  function editService() {
    commitFiles(
      service,
      {
        'src/routes.js': ROUTES_V1.replace(
          "  '/healthz': () => 'ok',\n",
          "  '/healthz': () => 'ok',\n  '/orders': () => [],\n",
        ),
        'deploy/values.yaml': VALUES_V1.replace(
          'replicaCount: 2',
          'replicaCount: 5',
        )
          .replace('repository: ${{ values.name }}', 'repository: orders')
          .replace('memory: 256Mi', 'memory: 1Gi'),
        'docs/optional.md': undefined,
      },
      'Our own changes',
    );
  }

  /** The platform team's version 2 of the skeletons. */
  function releaseVersion2() {
    fixture.commitPortal(
      {
        'skeletons/service/.github/workflows/ci.yml': `${CI_V1}      - run: npm run lint\n`,
        'skeletons/service/deploy/values.yaml': VALUES_V1.replace(
          'memory: 256Mi',
          'memory: 384Mi',
        ),
        'skeletons/service/docs/optional.md':
          '# Optional notes for ${{ values.name }}, revised\n',
        'skeletons/service/docs/legacy.md': undefined,
        'skeletons/service/.github/dependabot.yml':
          'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n',
        'skeletons/app/Dockerfile': DOCKERFILE_V1.replace(
          'FROM node:22-alpine',
          'FROM node:22.12-alpine',
        ),
      },
      2,
    );
  }

  it('proposes one commit: the template change, merged with the service edits, and one conflict', async () => {
    editService();
    releaseVersion2();
    const main = git('rev-parse', 'main');

    const outcome = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
    });

    expect(outcome).toMatchObject({
      state: 'proposed',
      created: true,
      branch: 'paved-road/upgrade-2',
      version: 1,
      current: 2,
      conflicts: ['deploy/values.yaml'],
      kept: [{ path: 'docs/optional.md', reason: 'deleted-by-service' }],
      superseded: [],
    });
    expect(git('rev-parse', 'main')).toBe(main);
    expect(git('rev-list', 'main..paved-road/upgrade-2')).toHaveLength(40);
    expect(
      git('diff', '--name-status', 'main', 'paved-road/upgrade-2').split('\n'),
    ).toEqual([
      'A\t.github/dependabot.yml',
      'M\t.github/workflows/ci.yml',
      `M\t${ANSWERS_FILE}`,
      'M\tDockerfile',
      'M\tcatalog-info.yaml',
      'M\tdeploy/values.yaml',
      'D\tdocs/legacy.md',
    ]);
    const show = (file: string) => git('show', `paved-road/upgrade-2:${file}`);
    expect(show('.github/workflows/ci.yml')).toContain('run: npm run lint');
    expect(show('Dockerfile')).toContain('FROM node:22.12-alpine');
    expect(show('catalog-info.yaml')).toContain(
      'paved-road.io/template-version: "2"',
    );
    // the service's edits survive; the line both changed is marked
    const helm = show('deploy/values.yaml');
    expect(helm).toContain('replicaCount: 5');
    expect(helm).toContain('repository: orders');
    expect(helm).toMatch(
      /<<<<<<< orders \(main\)\n {4}memory: 1Gi\n\|\|\|\|\|\|\| tiny-service version 1\n {4}memory: 256Mi\n=======\n {4}memory: 384Mi\n>>>>>>> tiny-service version 2/,
    );
    expect(show('src/routes.js')).toContain("'/orders': () => []");
    expect(
      git('ls-tree', '--name-only', '-r', 'paved-road/upgrade-2'),
    ).not.toContain('docs/optional.md');
    const answers = parse(show(ANSWERS_FILE));
    expect(answers).toMatchObject({
      template: 'tiny-service',
      version: 2,
      portalRevision: gitCli(fixture.portal, ['rev-parse', 'HEAD']),
      values,
    });
    expect(git('log', '-1', '--format=%B', 'paved-road/upgrade-2')).toContain(
      'Conflicts to resolve: deploy/values.yaml',
    );
  });

  it('opens nothing when asked again, and links the open upgrade', async () => {
    releaseVersion2();
    const first = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
    });
    const head = git('rev-parse', 'paved-road/upgrade-2');

    const again = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
    });

    expect(first).toMatchObject({ created: true, conflicts: [] });
    expect(first.state === 'proposed' && first.url).toMatch(
      /^http:\/\/localhost:3000\/repositories\/acme\/orders\/.*paved-road\/upgrade-2/,
    );
    expect(again).toMatchObject({
      state: 'proposed',
      created: false,
      branch: 'paved-road/upgrade-2',
      // the portal's page of the branch, as the host links it
      url: first.state === 'proposed' ? first.url : undefined,
    });
    expect(git('rev-parse', 'paved-road/upgrade-2')).toBe(head);
    expect(git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(
      'refs/heads/main\nrefs/heads/paved-road/upgrade-2',
    );
  });

  it('still reports as created the upgrade its own task opened before a restart', async () => {
    releaseVersion2();
    const first = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
      taskId: 'task-1',
    });
    const resumed = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
      taskId: 'task-1',
    });
    const other = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
      taskId: 'task-2',
    });

    expect(
      [first, resumed, other].map(o => o.state === 'proposed' && o.created),
    ).toEqual([true, true, false]);
    expect(git('log', '-1', '--format=%B', 'paved-road/upgrade-2')).toContain(
      'Paved-Road-Task: task-1',
    );
  });

  it('supersedes the upgrade to an older version with the newer one', async () => {
    releaseVersion2();
    await upgradeService(fixture.engine, { repo, ctx: fixture.ctx() });
    fixture.commitPortal({ 'skeletons/app/NOTICE': 'Version 3\n' }, 3);

    const outcome = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
    });

    expect(outcome).toMatchObject({
      created: true,
      branch: 'paved-road/upgrade-3',
      superseded: ['paved-road/upgrade-2'],
    });
    expect(git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(
      'refs/heads/main\nrefs/heads/paved-road/upgrade-3',
    );
    expect(git('show', 'paved-road/upgrade-3:NOTICE')).toBe('Version 3');
    expect(git('show', 'paved-road/upgrade-3:Dockerfile')).toContain(
      'node:22.12-alpine',
    );
  });

  it('says a service on the current version is up to date, and opens nothing', async () => {
    await expect(
      upgradeService(fixture.engine, { repo, ctx: fixture.ctx() }),
    ).resolves.toEqual({
      state: 'up-to-date',
      template: 'tiny-service',
      version: 1,
      current: 1,
    });
    expect(git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(
      'refs/heads/main',
    );
  });

  it('computes the change in a dry run without opening it', async () => {
    releaseVersion2();
    const outcome = await upgradeService(fixture.engine, {
      repo,
      ctx: fixture.ctx(),
      dryRun: true,
    });
    expect(outcome).toMatchObject({ created: true, conflicts: [] });
    expect(outcome.state === 'proposed' && outcome.changed).toContain(
      'Dockerfile',
    );
    expect(git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(
      'refs/heads/main',
    );
  });

  describe('refuses answers the service team edited into something the portal never wrote', () => {
    const answersText = () =>
      fs.readFileSync(path.join(service, ANSWERS_FILE), 'utf8');
    const hostile: Array<[string, (text: string) => string, RegExp]> = [
      [
        'a template expression',
        text => text.replace('name: orders', 'name: ${{ secrets.token }}'),
        /'values.name' holds a template expression/,
      ],
      [
        'a skeleton path out of skeletons/',
        text => text.replace('  - app', '  - ../../../etc'),
        /'skeletons.1' must be the name of a folder in skeletons\//,
      ],
      [
        'a value that renders a path out of the repository',
        text => text.replace('name: orders', 'name: ../../../../escaped'),
        /Rendering the skeletons service, app with the recorded values would write outside the repository/,
      ],
      [
        'a huge value',
        text => text.replace('name: orders', `name: ${'x'.repeat(5000)}`),
        /'values.name' is longer than 2048 characters/,
      ],
      [
        'a huge file',
        text => `${text}# ${'x'.repeat(70_000)}\n`,
        /larger than 65536 bytes/,
      ],
      [
        'an alias bomb',
        text => `${text}bomb: &a [x, x]\nmore: [*a, *a]\n`,
        /'\(root\)' uses YAML aliases/,
      ],
    ];

    it.each(hostile)('%s', async (_what, edit, message) => {
      releaseVersion2();
      commitFiles(service, { [ANSWERS_FILE]: edit(answersText()) }, 'Edited');
      const portalBefore = listFiles(fixture.portal);
      const rootBefore = listFiles(fixture.root).filter(
        f => !f.startsWith('scratch/'),
      );

      const error = await upgradeService(fixture.engine, {
        repo,
        ctx: fixture.ctx(),
      }).catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(git('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(
        'refs/heads/main',
      );
      expect(listFiles(fixture.portal)).toEqual(portalBefore);
      expect(
        listFiles(fixture.root).filter(f => !f.startsWith('scratch/')),
      ).toEqual(rootBefore);
      expect(fs.existsSync(path.join(fixture.root, '..', 'escaped.md'))).toBe(
        false,
      );
    });
  });
});
