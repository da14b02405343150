import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { scaffolderModulePavedRoad } from '../module';

// The local repositories as the portal shows them: real git repositories in a temporary
// directory, behind the real scaffolder plugin, with a catalog that shows each user only
// the entities they may see.

const OWNER = 'user:default/jane';
const PLATFORM = 'user:default/platform-admin';
const API = '/api/scaffolder/paved-road/repositories';

let root: string;
let reposDir: string;
let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
let mainCommit: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Paved Road',
      GIT_AUTHOR_EMAIL: 'paved-road@example.com',
      GIT_COMMITTER_NAME: 'Paved Road',
      GIT_COMMITTER_EMAIL: 'paved-road@example.com',
    },
  }).trim();
}

/** A repository as a golden path leaves it, with an infra request's branch. */
function createRepository(owner: string, name: string): string {
  const dir = path.join(reposDir, owner, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n`);
  fs.writeFileSync(
    path.join(dir, 'src/index.ts'),
    'export const port = 8080;\n',
  );
  fs.writeFileSync(path.join(dir, 'logo.png'), Buffer.from([0x89, 0, 1, 2]));
  fs.symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
  fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), `name: ${name}\n`);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'Initial commit');
  git(dir, 'checkout', '--quiet', '-b', 'infra/database-production');
  fs.mkdirSync(path.join(dir, 'infra'));
  fs.writeFileSync(
    path.join(dir, 'infra/database-production.tf'),
    'module "database" {\n  source = "acme/database/aws"\n}\n',
  );
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# ${name}\n\nWith a database.\n`,
  );
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'Request a database for production');
  git(dir, 'checkout', '--quiet', 'main');
  return dir;
}

function component(name: string, repoDir: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${path.join(
          repoDir,
          'catalog-info.yaml',
        )}`,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  };
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'repository-routes-'));
  reposDir = path.join(root, 'repos');
  const payments = createRepository('acme', 'payments-api');
  const ledger = createRepository('acme', 'ledger');
  createRepository('acme', 'unregistered');
  // a repository outside the directory, reached through a symbolic link inside it
  const outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  fs.renameSync(
    createRepository('elsewhere', 'escape'),
    path.join(outside, 'escape'),
  );
  fs.rmSync(path.join(reposDir, 'elsewhere'), { recursive: true });
  fs.symlinkSync(outside, path.join(reposDir, 'elsewhere'));
  mainCommit = git(payments, 'rev-parse', 'main');

  const everyone = catalogServiceMock({
    entities: [
      component('payments-api', payments),
      component('escape', path.join(reposDir, 'elsewhere', 'escape')),
    ],
  });
  const platform = catalogServiceMock({
    entities: [
      component('payments-api', payments),
      component('ledger', ledger),
    ],
  });
  // what the catalog's permission rules do: the ledger is the platform team's only
  const catalog = catalogServiceMock.mock({
    getEntities: async (
      ...[req, options]: Parameters<CatalogService['getEntities']>
    ) => {
      const principal = options.credentials.principal as {
        userEntityRef?: string;
      };
      return (
        principal.userEntityRef === PLATFORM ? platform : everyone
      ).getEntities(req, options);
    },
  });

  ({ server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModulePavedRoad,
      catalog.factory,
      mockServices.rootConfig.factory({
        data: {
          pavedRoad: {
            publish: { target: 'local', local: { directory: reposDir } },
          },
        },
      }),
    ],
  }));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const get = (url: string, user = OWNER) =>
  request(server)
    .get(url)
    .set('Authorization', mockCredentials.user.header(user));

describe('GET /paved-road/repositories/:owner/:name', () => {
  it('lists the branches, the default one first, with the entity it belongs to', async () => {
    const res = await get(`${API}/acme/payments-api`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      owner: 'acme',
      name: 'payments-api',
      entityRef: 'component:default/payments-api',
      defaultBranch: 'main',
      branches: [
        { name: 'main', commit: mainCommit, subject: 'Initial commit' },
        {
          name: 'infra/database-production',
          subject: 'Request a database for production',
        },
      ],
    });
  });

  it('is a 404 for a repository whose entity the user may not see, and shown to who may', async () => {
    const hidden = await get(`${API}/acme/ledger`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toBe("No repository 'acme/ledger'");

    expect((await get(`${API}/acme/ledger`, PLATFORM)).status).toBe(200);
  });

  it('is a 404 for a repository no entity comes from, and for one that does not exist', async () => {
    expect((await get(`${API}/acme/unregistered`)).status).toBe(404);
    expect((await get(`${API}/acme/nothing-here`)).status).toBe(404);
  });

  it('is a 404 for a repository reached through a symbolic link out of the directory', async () => {
    const res = await get(`${API}/elsewhere/escape`);
    expect(res.status).toBe(404);
  });

  it('refuses a caller who is not signed in', async () => {
    const res = await request(server)
      .get(`${API}/acme/payments-api`)
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });

  it.each([
    ['owner', `${API}/ACME/payments-api`],
    ['owner', `${API}/..%2F..%2Fetc/payments-api`],
    ['name', `${API}/acme/payments-api.git`],
    ['name', `${API}/acme/-rf`],
  ])('refuses a bad %s with a 400 naming it (%s)', async (field, url) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`field '${field}'`);
  });
});

describe('GET .../tree', () => {
  it("lists a branch's root, directories first", async () => {
    const res = await get(`${API}/acme/payments-api/tree?ref=main`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ref: 'main',
      commit: mainCommit,
      path: '',
      entries: [
        { name: 'src', path: 'src', type: 'tree' },
        {
          name: 'catalog-info.yaml',
          path: 'catalog-info.yaml',
          type: 'blob',
          size: 19,
        },
        { name: 'logo.png', path: 'logo.png', type: 'blob', size: 4 },
        { name: 'passwd', path: 'passwd', type: 'symlink' },
        { name: 'README.md', path: 'README.md', type: 'blob', size: 15 },
      ],
    });
  });

  it('lists a directory on another branch', async () => {
    const res = await get(
      `${API}/acme/payments-api/tree?ref=infra/database-production&path=infra`,
    );

    expect(res.status).toBe(200);
    expect(res.body.entries).toEqual([
      {
        name: 'database-production.tf',
        path: 'infra/database-production.tf',
        type: 'blob',
        size: 53,
      },
    ]);
  });

  it('is a 404 for a branch, a path or a directory that is not there', async () => {
    expect((await get(`${API}/acme/payments-api/tree?ref=nope`)).status).toBe(
      404,
    );
    expect(
      (await get(`${API}/acme/payments-api/tree?ref=main&path=infra`)).status,
    ).toBe(404);
    expect(
      (await get(`${API}/acme/payments-api/tree?ref=main&path=README.md`))
        .status,
    ).toBe(404);
  });

  it.each([
    ['ref', 'ref=--output=/tmp/x'],
    ['ref', 'ref=main..infra/database-production'],
    ['ref', 'ref=main@{1}'],
    ['ref', 'ref=HEAD~1'],
    ['ref', 'ref=main:README.md'],
    ['ref', 'ref=main&ref=other'],
    ['ref', ''],
    ['path', 'ref=main&path=../../etc'],
    ['path', 'ref=main&path=/etc/passwd'],
    ['path', 'ref=main&path=src/./index.ts'],
    ['path', 'ref=main&path=src%00'],
    ['path', 'ref=main&path=src%5Cindex.ts'],
  ])('refuses a bad %s with a 400 naming it (%s)', async (field, query) => {
    const res = await get(`${API}/acme/payments-api/tree?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`field '${field}'`);
  });
});

describe('GET .../file', () => {
  it('shows a file on a branch, and at a commit', async () => {
    const res = await get(
      `${API}/acme/payments-api/file?ref=main&path=src/index.ts`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ref: 'main',
      commit: mainCommit,
      path: 'src/index.ts',
      size: 26,
      binary: false,
      truncated: false,
      content: 'export const port = 8080;\n',
    });

    const changed = await get(
      `${API}/acme/payments-api/file?ref=infra/database-production&path=README.md`,
    );
    expect(changed.body.content).toBe('# payments-api\n\nWith a database.\n');

    const atCommit = await get(
      `${API}/acme/payments-api/file?ref=${mainCommit}&path=README.md`,
    );
    expect(atCommit.body.content).toBe('# payments-api\n');
  });

  it('sends no bytes of a binary file and never follows a symbolic link', async () => {
    const binary = await get(
      `${API}/acme/payments-api/file?ref=main&path=logo.png`,
    );
    expect(binary.body).toMatchObject({ binary: true, content: '', size: 4 });

    const link = await get(
      `${API}/acme/payments-api/file?ref=main&path=passwd`,
    );
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({
      content: '/etc/passwd',
      symlinkTarget: '/etc/passwd',
    });
    expect(link.body.content).not.toContain('root:');
  });

  it('is a 404 for a directory or a file that is not there', async () => {
    expect(
      (await get(`${API}/acme/payments-api/file?ref=main&path=src`)).status,
    ).toBe(404);
    expect(
      (await get(`${API}/acme/payments-api/file?ref=main&path=nope.txt`))
        .status,
    ).toBe(404);
  });
});

describe('GET .../diff', () => {
  it('shows what a branch changes against the default branch', async () => {
    const res = await get(
      `${API}/acme/payments-api/diff?branch=infra/database-production`,
    );

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      base: 'main',
      branch: 'infra/database-production',
      truncated: false,
    });
    const lines: string[] = res.body.patch.split('\n');
    expect(lines).toContain(
      'diff --git a/infra/database-production.tf b/infra/database-production.tf',
    );
    expect(lines).toContain('+  source = "acme/database/aws"');
    expect(lines).toContain('+With a database.');
  });

  it('refuses a bad branch with a 400 and an unknown one with a 404', async () => {
    const bad = await get(`${API}/acme/payments-api/diff?branch=-p`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("field 'branch'");

    const unknown = await get(
      `${API}/acme/payments-api/diff?branch=infra/nope`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      "No branch 'infra/nope' in 'acme/payments-api'",
    );
  });

  it('shows nothing of a repository the user may not see', async () => {
    const res = await get(
      `${API}/acme/ledger/diff?branch=infra/database-production`,
    );
    expect(res.status).toBe(404);
    expect(res.body.patch).toBeUndefined();
    expect(res.body.error.message).toBe("No repository 'acme/ledger'");
  });
});
