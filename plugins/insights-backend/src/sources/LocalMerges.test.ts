import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalMerges } from './LocalMerges';

// Real git repositories laid out as pavedRoad.publish.local.directory keeps them.

let root: string;
const base =
  'http://localhost:3000/repositories/paved-road-demo/orders-api/compare';

function git(dir: string, date: string, ...args: string[]) {
  execFileSync('git', args, {
    cwd: dir,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Portal',
      GIT_AUTHOR_EMAIL: 'portal@example.com',
      GIT_COMMITTER_NAME: 'Portal',
      GIT_COMMITTER_EMAIL: 'portal@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
    stdio: 'pipe',
  });
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'insights-merges-'));
  const repo = path.join(root, 'paved-road-demo', 'orders-api');
  fs.mkdirSync(repo, { recursive: true });
  const at = (d: string) => `${d}T10:00:00Z`;
  git(repo, at('2026-11-20'), 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(repo, 'README.md'), 'orders\n');
  git(repo, at('2026-11-20'), 'add', '.');
  git(repo, at('2026-11-20'), 'commit', '-q', '-m', 'init');

  // Requested on the 23rd, merged with a merge commit on the 24th.
  git(
    repo,
    at('2026-11-23'),
    'checkout',
    '-q',
    '-b',
    'infra/database-production',
  );
  fs.writeFileSync(path.join(repo, 'db.tf'), 'module "db" {}\n');
  git(repo, at('2026-11-23'), 'add', '.');
  git(repo, at('2026-11-23'), 'commit', '-q', '-m', 'Request a database');
  git(repo, at('2026-11-23'), 'checkout', '-q', 'main');
  fs.writeFileSync(path.join(repo, 'other.txt'), 'meanwhile\n');
  git(repo, at('2026-11-23'), 'add', '.');
  git(repo, at('2026-11-23'), 'commit', '-q', '-m', 'Meanwhile on main');
  git(
    repo,
    at('2026-11-24'),
    'merge',
    '-q',
    '--no-ff',
    '-m',
    'Merge',
    'infra/database-production',
  );

  // Still open.
  git(repo, at('2026-11-25'), 'checkout', '-q', '-b', 'infra/queue-staging');
  fs.writeFileSync(path.join(repo, 'queue.tf'), 'module "q" {}\n');
  git(repo, at('2026-11-25'), 'add', '.');
  git(repo, at('2026-11-25'), 'commit', '-q', '-m', 'Request a queue');
  git(repo, at('2026-11-25'), 'checkout', '-q', 'main');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('LocalMerges', () => {
  it('gives the merge time of merged branches only', async () => {
    const merges = new LocalMerges(root);
    await expect(
      merges.mergedAt([
        `${base}/infra/database-production`,
        `${base}/infra/queue-staging`,
        `${base}/infra/never-pushed`,
        'http://localhost:3000/repositories/../etc/compare/x',
        'https://github.com/acme/alpha/pull/7',
      ]),
    ).resolves.toEqual({
      [`${base}/infra/database-production`]: '2026-11-24T10:00:00.000Z',
      [`${base}/infra/queue-staging`]: undefined,
      [`${base}/infra/never-pushed`]: undefined,
    });
  });

  it('reads nothing without a local directory', async () => {
    await expect(
      new LocalMerges(undefined).mergedAt([
        `${base}/infra/database-production`,
      ]),
    ).resolves.toEqual({});
  });
});
