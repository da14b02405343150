import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConflictError } from '@backstage/errors';
import { git } from './util/git';

/** What {@link proposeFileOnBranch} found or did. */
export type BranchProposal = {
  /** Whether this call created the branch. */
  created: boolean;
  /** The branch that holds the file: the new one, or the default branch if it had it already. */
  branch: string;
  commitHash: string;
};

async function fileAt(
  repo: string,
  revision: string,
  file: string,
): Promise<string | undefined> {
  try {
    return await git(repo, ['cat-file', 'blob', `${revision}:${file}`], {
      raw: true,
    });
  } catch {
    return undefined;
  }
}

async function branchHead(
  repo: string,
  branch: string,
): Promise<string | undefined> {
  try {
    return await git(repo, [
      'rev-parse',
      '--verify',
      '--quiet',
      `refs/heads/${branch}^{commit}`,
    ]);
  } catch {
    return undefined;
  }
}

/**
 * What the pull request would find: the branch with the same file (nothing to do), the
 * default branch with the same file (nothing to do), or neither.
 */
async function existingProposal(
  repo: string,
  branch: string,
  file: string,
  content: string,
): Promise<BranchProposal | undefined> {
  const head = await branchHead(repo, branch);
  if (head) {
    if ((await fileAt(repo, head, file)) === content) {
      return { created: false, branch, commitHash: head };
    }
    throw new ConflictError(
      `The branch '${branch}' already exists with a different ${file}; merge or delete it, then request again`,
    );
  }
  if ((await fileAt(repo, 'HEAD', file)) === content) {
    return {
      created: false,
      branch: await git(repo, ['symbolic-ref', '--short', 'HEAD']),
      commitHash: await git(repo, ['rev-parse', 'HEAD']),
    };
  }
  return undefined;
}

/**
 * The embedded default's pull request: a new branch in a git repository on the portal
 * host, one commit on top of the default branch that adds (or replaces) one file. It is
 * built with plumbing commands in a temporary index, so the repository's working tree
 * and checked-out branch are never touched, and the branch is created atomically (an
 * existing one is never moved). A branch or default branch that already has the same
 * file is reported, not duplicated.
 */
export async function proposeFileOnBranch(options: {
  repo: string;
  branch: string;
  /** Repository-relative path, with forward slashes. */
  file: string;
  content: string;
  message: string;
  author: { name: string; email: string };
  /** Look only; change nothing (dry run). */
  inspectOnly?: boolean;
}): Promise<BranchProposal> {
  const { repo, branch, file, content } = options;
  const existing = await existingProposal(repo, branch, file, content);
  if (existing || options.inspectOnly) {
    return existing ?? { created: true, branch, commitHash: '' };
  }

  const base = await git(repo, ['rev-parse', '--verify', 'HEAD^{commit}']);
  const blob = await git(repo, ['hash-object', '-w', '--stdin'], {
    input: content,
  });
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'infra-request-'));
  let commit: string;
  try {
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index') };
    await git(repo, ['read-tree', base], { env });
    await git(
      repo,
      ['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`],
      { env },
    );
    const tree = await git(repo, ['write-tree'], { env });
    commit = await git(
      repo,
      [
        '-c',
        `user.name=${options.author.name}`,
        '-c',
        `user.email=${options.author.email}`,
        'commit-tree',
        tree,
        '-p',
        base,
        '-F',
        '-',
      ],
      { input: options.message },
    );
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  try {
    // The empty old value: create the branch only if it does not exist yet. No hook of
    // the repository runs (reference-transaction): it is not ours to trust.
    await git(repo, [
      '-c',
      `core.hooksPath=${os.devNull}`,
      'update-ref',
      `refs/heads/${branch}`,
      commit,
      '',
    ]);
  } catch (error) {
    // Another request for the same branch won the race.
    const raced = await existingProposal(repo, branch, file, content);
    if (raced) {
      return raced;
    }
    throw error;
  }
  return { created: true, branch, commitHash: commit };
}
