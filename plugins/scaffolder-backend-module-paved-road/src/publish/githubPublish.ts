import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoggerService } from '@backstage/backend-plugin-api';
import { git } from '../git/git';
import { GithubApi, refused } from './githubApi';
import { commitDirectory } from './localBranches';
import { RepositoryRef } from './RepositoryHost';

export const DEFAULT_BRANCH = 'main';

/**
 * What `publish:github` sets up for a new repository by default, which golden paths
 * have always had: merges of every kind, no auto-merge, branches kept after merging.
 */
export const REPOSITORY_SETTINGS = {
  allow_auto_merge: false,
  allow_merge_commit: true,
  allow_rebase_merge: true,
  allow_squash_merge: true,
  allow_update_branch: false,
  delete_branch_on_merge: false,
  squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
  squash_merge_commit_message: 'COMMIT_MESSAGES',
};

/** `publish:github`'s default protection of the default branch: one approving review. */
const BRANCH_PROTECTION = {
  required_status_checks: { strict: true, contexts: [] },
  restrictions: null,
  enforce_admins: true,
  required_pull_request_reviews: {
    required_approving_review_count: 1,
    require_code_owner_reviews: false,
    dismiss_stale_reviews: false,
    require_last_push_approval: false,
  },
  required_conversation_resolution: false,
  required_linear_history: false,
  block_creations: false,
};

/**
 * Pushes `sourceDir` (its `.git` left out) as the one commit of `main` at `remoteUrl`;
 * with `force`, over what `main` had. Returns the commit.
 */
export async function pushFirstCommit(options: {
  remoteUrl: string;
  token: string;
  sourceDir: string;
  author: { name: string; email: string };
  message: string;
  force: boolean;
}): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'publish-github-'));
  try {
    await commitDirectory({
      dir,
      sourceDir: options.sourceDir,
      author: options.author,
      message: options.message,
    });
    const basic = Buffer.from(`x-access-token:${options.token}`).toString(
      'base64',
    );
    // The token goes in the environment, never on a command line others can list.
    await git(
      dir,
      [
        'push',
        '--quiet',
        ...(options.force ? ['--force'] : []),
        options.remoteUrl,
        `HEAD:refs/heads/${DEFAULT_BRANCH}`,
      ],
      {
        env: {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'http.extraHeader',
          GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
        },
      },
    );
    return await git(dir, ['rev-parse', 'HEAD']);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** As `publish:github` does: a failure is a warning, the repository stands. */
export async function protectDefaultBranch(
  api: GithubApi,
  repo: RepositoryRef,
  logger: LoggerService,
) {
  const protect = () =>
    api.repo(repo.owner, repo.name, `/branches/${DEFAULT_BRANCH}/protection`, {
      method: 'PUT',
      accept: 'application/vnd.github.luke-cage-preview+json',
      body: BRANCH_PROTECTION,
    });
  let res = await protect();
  if (res.status === 404) {
    // GitHub may not know the branch a moment after the push
    await sleep(600);
    res = await protect();
  }
  if (!res.ok) {
    const error = await refused(res, 'protect the default branch');
    logger.warn(
      `Skipping: default branch protection on '${repo.name}', ${error.message}`,
    );
  }
}
