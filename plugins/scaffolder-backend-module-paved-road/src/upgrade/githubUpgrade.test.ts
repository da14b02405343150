import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { publishOptions } from '../__testUtils__/pavedRoadOptions';
import { listFiles } from '../__testUtils__/portalContext';
import { upgradeFixture } from '../__testUtils__/upgradeFixture';
import { ANSWERS_FILE } from './answers';
import { createUpgradeEngine, upgradeService } from './upgradeService';

// With pavedRoad.publish.target: github, the upgrade is a pull request: GitHub simulated
// at the HTTP layer over real git (fakeGithub.ts).

const SKELETONS = {
  service: {
    Dockerfile: 'FROM node:22-alpine\nUSER node\n',
    'deploy/values.yaml': 'replicaCount: 2\nmemory: 256Mi\n',
    'docs/legacy.md': 'Soon gone\n',
  },
};

describe('upgradeService on GitHub', () => {
  const github = new FakeGithub({
    token: 'ghp_portal-token-do-not-log',
    organizations: ['acme'],
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

  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;
  const repo = { host: 'github.com', owner: 'acme', name: 'orders' };
  const gh = (...args: string[]) => github.run('acme', 'orders', args);

  beforeEach(async () => {
    github.reset();
    fixture = await upgradeFixture({ template: 'tiny', skeletons: SKELETONS });
    // the service as the golden path made it, then edited on GitHub
    const made = await fixture.scaffold(repo, { name: 'orders' }, ['service']);
    const files: Record<string, string> = {};
    for (const file of listFiles(made)) {
      const full = path.join(made, file);
      if (
        !file.startsWith('.git/') &&
        file !== '.git' &&
        fs.statSync(full).isFile()
      ) {
        files[file] = fs.readFileSync(full, 'utf8');
      }
    }
    github.seedRepository('acme', 'orders', files);
    github.commit('acme', 'orders', 'main', {
      'deploy/values.yaml': 'replicaCount: 2\nmemory: 1Gi\n',
    });
    fixture.commitPortal(
      {
        'skeletons/service/Dockerfile': 'FROM node:22.12-alpine\nUSER node\n',
        'skeletons/service/deploy/values.yaml':
          'replicaCount: 2\nmemory: 384Mi\n',
        'skeletons/service/docs/legacy.md': undefined,
      },
      2,
    );
  });
  afterEach(() => fixture.cleanup());

  async function engine() {
    const { host } = publishOptions(
      new ConfigReader({
        pavedRoad: { publish: { target: 'github' } },
        integrations: {
          github: [
            { host: 'github.com', token: 'ghp_portal-token-do-not-log' },
          ],
        },
      }),
    );
    return createUpgradeEngine({ host, renderer: fixture.renderer });
  }

  it('opens one pull request listing the conflict, then links it when asked again', async () => {
    const outcome = await upgradeService(await engine(), {
      repo,
      ctx: fixture.ctx(),
    });

    expect(outcome).toMatchObject({
      state: 'proposed',
      created: true,
      branch: 'paved-road/upgrade-2',
      url: 'https://github.com/acme/orders/pull/42',
      number: 42,
      conflicts: ['deploy/values.yaml'],
    });
    const [pull] = github.pulls;
    expect(pull.title).toBe('Upgrade to tiny version 2 (from 1)');
    expect(pull.body).toContain(
      '**Conflicts**: both the template and this repository changed the same lines.',
    );
    expect(pull.body).toContain('- `deploy/values.yaml`');
    expect(pull.body).toContain('Removed (the template dropped them');
    expect(gh('rev-list', '--count', 'main..paved-road/upgrade-2')).toBe('1');
    expect(
      gh('diff', '--name-status', 'main', 'paved-road/upgrade-2').split('\n'),
    ).toEqual([
      `M\t${ANSWERS_FILE}`,
      'M\tDockerfile',
      'M\tdeploy/values.yaml',
      'D\tdocs/legacy.md',
    ]);
    expect(
      parse(gh('show', `paved-road/upgrade-2:${ANSWERS_FILE}`)).version,
    ).toBe(2);

    const again = await upgradeService(await engine(), {
      repo,
      ctx: fixture.ctx(),
    });
    expect(again).toMatchObject({ created: false, url: pull.html_url });
    expect(github.pulls).toHaveLength(1);
  });

  it('closes the pull request of an older version when a newer one is opened', async () => {
    await upgradeService(await engine(), { repo, ctx: fixture.ctx() });
    fixture.commitPortal({ 'skeletons/service/NOTICE': 'Version 3\n' }, 3);

    const outcome = await upgradeService(await engine(), {
      repo,
      ctx: fixture.ctx(),
    });

    expect(outcome).toMatchObject({
      created: true,
      branch: 'paved-road/upgrade-3',
      superseded: ['paved-road/upgrade-2'],
    });
    const [older, newer] = github.pulls;
    expect(older).toMatchObject({
      state: 'closed',
      comments: [`Superseded by the upgrade to version 3: ${newer.html_url}`],
    });
    expect(newer.state).toBe('open');
    expect(gh('for-each-ref', '--format=%(refname)', 'refs/heads')).toBe(
      'refs/heads/main\nrefs/heads/paved-road/upgrade-3',
    );
  });
});
