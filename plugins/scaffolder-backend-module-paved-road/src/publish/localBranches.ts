import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git } from '../git/git';
import { FileChange } from './RepositoryHost';

/** The file's text at `revision`, or undefined when it is not there. */
export async function fileAt(
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

/**
 * The text of several files at `revision` through one `git cat-file --batch`; absent
 * ones are left out.
 */
export async function filesAt(
  repo: string,
  revision: string,
  files: string[],
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  // the batch protocol is one name a line
  const named = files.filter(file => !/[\r\n]/.test(file));
  const out = await git(repo, ['cat-file', '--batch'], {
    input: named.map(file => `${revision}:${file}\n`).join(''),
    bytes: true,
  });
  let at = 0;
  for (const file of named) {
    const eol = out.indexOf('\n', at);
    const line = out.slice(at, eol);
    at = eol + 1;
    // "<name> missing" names the input, which may hold spaces; found is "<sha> <type> <size>"
    if (/ (missing|ambiguous)$/.test(line)) {
      continue;
    }
    const [, type, size] = line.split(' ');
    if (type === 'blob') {
      texts.set(
        file,
        Buffer.from(out.slice(at, at + Number(size)), 'latin1').toString(
          'utf8',
        ),
      );
    }
    at += Number(size) + 1;
  }
  return texts;
}

/** The branch's head commit, or undefined when there is no such branch. */
export async function branchHead(
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

/** The checked-out (default) branch and its head. */
export async function currentBranch(
  repo: string,
): Promise<{ name: string; commitHash: string }> {
  return {
    name: await git(repo, ['symbolic-ref', '--short', 'HEAD']),
    commitHash: await git(repo, ['rev-parse', 'HEAD']),
  };
}

/**
 * The embedded default's pull request: a new branch in a git repository on the portal
 * host, one commit on top of the default branch that adds (or replaces) files. It is
 * built with plumbing commands in a temporary index, so the repository's working tree
 * and checked-out branch are never touched, and the branch is created atomically (an
 * existing one is never moved: that throws). Returns the new commit.
 */
export async function createBranchWithFiles(options: {
  repo: string;
  branch: string;
  files: FileChange[];
  message: string;
  author: { name: string; email: string };
}): Promise<string> {
  const { repo, branch } = options;
  const base = await git(repo, ['rev-parse', '--verify', 'HEAD^{commit}']);
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'infra-request-'));
  let commit: string;
  try {
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index') };
    await git(repo, ['read-tree', base], { env });
    for (const file of options.files) {
      if (file.content === undefined) {
        await git(repo, ['update-index', '--force-remove', '--', file.path], {
          env,
        });
        continue;
      }
      const blob = await git(repo, ['hash-object', '-w', '--stdin'], {
        input: file.content,
      });
      await git(
        repo,
        ['update-index', '--add', '--cacheinfo', `100644,${blob},${file.path}`],
        { env },
      );
    }
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
  return commit;
}

/**
 * Creates a git repository at `localPath` with `sourceDir` (its `.git` left out) as the
 * one commit on `main`. Built beside the target and moved in, so a failure leaves no
 * half repository; with `replace`, the repository there is moved aside first and removed
 * after. Returns the commit.
 */
export async function createLocalRepository(options: {
  localPath: string;
  sourceDir: string;
  author: { name: string; email: string };
  message: string;
  replace?: boolean;
}): Promise<string> {
  const { localPath } = options;
  await fs.mkdir(path.dirname(localPath), { recursive: true });
  const staging = await fs.mkdtemp(`${localPath}.partial-`);
  let commitHash: string;
  try {
    await commitDirectory({ ...options, dir: staging });
    commitHash = await git(staging, ['rev-parse', 'HEAD']);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (options.replace) {
    const replaced = await fs.mkdtemp(`${localPath}.replaced-`);
    await fs.rename(localPath, path.join(replaced, 'repository'));
    await fs.rename(staging, localPath);
    await fs.rm(replaced, { recursive: true, force: true });
  } else {
    await fs.rename(staging, localPath).catch(async error => {
      await fs.rm(staging, { recursive: true, force: true });
      throw error;
    });
  }
  return commitHash;
}

/** The branches starting with `prefix` and their heads. */
export async function branchesWithPrefix(
  repo: string,
  prefix: string,
): Promise<Array<{ name: string; commitHash: string }>> {
  const listed = await git(repo, [
    'for-each-ref',
    '--format=%(refname:strip=2)%09%(objectname)',
    `refs/heads/${prefix}*`,
  ]);
  return listed
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [name, commitHash] = line.split('\t');
      return { name, commitHash };
    })
    .filter(branch => branch.name.startsWith(prefix));
}

/** Deletes the branch, only while it is still at `commitHash`. */
export async function deleteBranch(
  repo: string,
  branch: string,
  commitHash: string,
): Promise<void> {
  await git(repo, [
    '-c',
    `core.hooksPath=${os.devNull}`,
    'update-ref',
    '-d',
    `refs/heads/${branch}`,
    commitHash,
  ]);
}

/** The latest commits of the checked-out branch (at most `max`), newest first. */
export async function latestCommits(
  repo: string,
  max: number,
): Promise<Array<{ hash: string; message: string }> | undefined> {
  let log: string;
  try {
    log = await git(
      repo,
      ['log', `--max-count=${max}`, '--format=%H%x1f%B%x1e', 'HEAD'],
      { raw: true },
    );
  } catch {
    // no commit yet
    return undefined;
  }
  return log
    .split('\x1e')
    .map(entry => entry.trim())
    .filter(Boolean)
    .map(entry => {
      const [hash, message] = entry.split('\x1f');
      return { hash, message };
    });
}

/**
 * Copies `sourceDir` (without any `.git`) into the empty directory `dir` and commits
 * it there as the first commit on `main`.
 */
export async function commitDirectory(options: {
  dir: string;
  sourceDir: string;
  author: { name: string; email: string };
  message: string;
}): Promise<void> {
  const { dir } = options;
  await fs.cp(options.sourceDir, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: source => path.basename(source) !== '.git',
  });
  await git(dir, ['init', '--quiet', '--initial-branch=main']);
  await git(dir, ['add', '--all']);
  await git(dir, [
    '-c',
    `user.name=${options.author.name}`,
    '-c',
    `user.email=${options.author.email}`,
    '-c',
    'commit.gpgsign=false',
    'commit',
    '--quiet',
    '--message',
    options.message,
  ]);
}
