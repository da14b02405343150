import fs from 'node:fs/promises';
import path from 'node:path';
import { ScmIntegrations } from '@backstage/integration';
import { git } from '../git/git';
import { PortalRepository } from './upgradeConfig';

/** The checkout's folder in the backend's working directory. */
export const CHECKOUT_DIR = 'paved-road-portal';

/**
 * The token of the GitHub integration for `url`, as git's own HTTP header (through the
 * environment, so it is in no process list and no `.git/config`); none for other hosts.
 */
function authEnv(
  url: string,
  integrations: ScmIntegrations,
): Record<string, string> {
  if (!/^https:\/\//.test(url)) {
    return {};
  }
  const token = integrations.github.byUrl(url)?.config.token;
  if (!token) {
    return {};
  }
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

/**
 * Brings the portal's own repository, with its history, to `<workingDirectory>/
 * paved-road-portal` at `ref` (cloned the first time, fetched on each later start), for
 * a portal that runs without its `.git` (a container image). Returns the checkout's
 * `skeletons/` directory. Throws, with git's own message and no credentials, when the
 * repository cannot be had.
 */
export async function checkoutPortalRepository(options: {
  repository: PortalRepository;
  workingDirectory: string;
  integrations: ScmIntegrations;
}): Promise<{ skeletons: string; revision: string }> {
  const { repository, workingDirectory, integrations } = options;
  const dir = path.join(workingDirectory, CHECKOUT_DIR);
  const env = authEnv(repository.url, integrations);
  await fs.mkdir(workingDirectory, { recursive: true });
  const cloned = await fs
    .stat(path.join(dir, '.git'))
    .then(() => true)
    .catch(() => false);
  try {
    if (!cloned) {
      await fs.rm(dir, { recursive: true, force: true });
      await git(
        workingDirectory,
        ['clone', '--quiet', '--no-checkout', '--', repository.url, dir],
        { env },
      );
    } else {
      await git(dir, ['remote', 'set-url', 'origin', repository.url]);
    }
    await git(dir, ['fetch', '--quiet', '--tags', 'origin', repository.ref], {
      env,
    });
    await git(dir, [
      'checkout',
      '--quiet',
      '--force',
      '--detach',
      'FETCH_HEAD',
    ]);
  } catch (error) {
    const stderr =
      error instanceof Error && 'stderr' in error ? String(error.stderr) : '';
    throw new Error(
      `could not fetch ${repository.ref} of ${repository.url} into ${dir}: ${
        stderr.trim() ||
        (error instanceof Error ? error.message : String(error))
      }`,
    );
  }
  const skeletons = path.join(dir, 'skeletons');
  if (!(await fs.stat(skeletons).catch(() => undefined))?.isDirectory()) {
    throw new Error(
      `${repository.url} at ${repository.ref} has no skeletons/ folder: it is not the portal's repository`,
    );
  }
  return { skeletons, revision: await git(dir, ['rev-parse', 'HEAD']) };
}
