import fs from 'node:fs/promises';
import path from 'node:path';
import { isChildPath } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { git } from '../git/git';
import { RepositoryRef } from '../publish/RepositoryHost';
import { RevisionName } from './names';

/** A branch of a repository, with its latest commit. */
export type BranchSummary = {
  name: string;
  commit: string;
  /** The commit's date, ISO 8601. */
  date: string;
  subject: string;
};

export type TreeEntry = {
  name: string;
  /** From the repository's root. */
  path: string;
  type: 'tree' | 'blob' | 'symlink' | 'submodule';
  /** Bytes, for files. */
  size?: number;
};

export type TreeView = {
  commit: string;
  path: string;
  /** Directories first, then by name. */
  entries: TreeEntry[];
};

export type FileView = {
  commit: string;
  path: string;
  size: number;
  /** A file with NUL bytes: its content is not sent. */
  binary: boolean;
  /** Cut at {@link MAX_FILE_BYTES}. */
  truncated: boolean;
  content: string;
  /** The target of a symbolic link, which is shown and never followed. */
  symlinkTarget?: string;
};

export type DiffView = {
  /** The default branch the diff is against. */
  base: string;
  branch: string;
  /** `git diff base...branch`: what the branch changes since it left the base. */
  patch: string;
  truncated: boolean;
};

export const MAX_FILE_BYTES = 1024 * 1024;
const MAX_PATCH_BYTES = 2 * 1024 * 1024;

/** git, with nothing from the repository's own config that could run a program. */
const SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false'];

/**
 * Reads the local repositories (`pavedRoad.publish.local.directory`) through git, for
 * people to browse: branches, trees, files and a branch's diff. Only repositories that
 * are inside the directory after symbolic links are resolved; only what git reads from
 * its object store, never the working tree.
 */
export class LocalRepositoryBrowser {
  static create(options: { directory: string }): LocalRepositoryBrowser {
    return new LocalRepositoryBrowser(path.resolve(options.directory));
  }

  private constructor(private readonly directory: string) {}

  /** Where the catalog reads a repository's entity from (`file` location target). */
  catalogFile(repo: RepositoryRef): string {
    return path.join(
      this.directory,
      repo.owner,
      repo.name,
      'catalog-info.yaml',
    );
  }

  /** The repository's git directory, or a 404 for anything else. */
  private async gitDir(repo: RepositoryRef): Promise<string> {
    const notFound = new NotFoundError(
      `No repository '${repo.owner}/${repo.name}'`,
    );
    const localPath = path.join(this.directory, repo.owner, repo.name);
    const [root, real] = await Promise.all([
      fs.realpath(this.directory).catch(() => undefined),
      fs.realpath(localPath).catch(() => undefined),
    ]);
    if (!root || !real || real === root || !isChildPath(root, real)) {
      throw notFound;
    }
    const gitDir = path.join(real, '.git');
    const stat = await fs.lstat(gitDir).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw notFound;
    }
    return gitDir;
  }

  private async run(
    repo: RepositoryRef,
    args: string[],
    raw = false,
  ): Promise<string> {
    const gitDir = await this.gitDir(repo);
    return git(path.dirname(gitDir), [...SAFE, '--git-dir', gitDir, ...args], {
      raw,
      // a path is a name, never a pattern or pathspec magic
      env: { GIT_LITERAL_PATHSPECS: '1' },
    });
  }

  /** The checked-out branch, which the portal's repositories have as their default. */
  async defaultBranch(repo: RepositoryRef): Promise<string> {
    return this.run(repo, ['symbolic-ref', '--short', 'HEAD']);
  }

  /** Every branch, the default one first, then by name. */
  async branches(repo: RepositoryRef): Promise<BranchSummary[]> {
    const [base, listing] = await Promise.all([
      this.defaultBranch(repo),
      this.run(repo, [
        'for-each-ref',
        '--format=%(refname:strip=2)%00%(objectname)%00%(committerdate:iso-strict)%00%(subject)',
        'refs/heads/',
      ]),
    ]);
    const branches = listing
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [name, commit, date, subject] = line.split('\0');
        return { name, commit, date, subject: subject ?? '' };
      });
    const rank = (branch: BranchSummary) => (branch.name === base ? 0 : 1);
    return branches.sort(
      (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name),
    );
  }

  /** The commit a branch or commit id names, or a 404 naming it. */
  async commit(repo: RepositoryRef, revision: RevisionName): Promise<string> {
    const spec =
      revision.kind === 'branch'
        ? `refs/heads/${revision.name}^{commit}`
        : `${revision.name}^{commit}`;
    const commit = await this.run(repo, [
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      spec,
    ]).catch(() => '');
    if (!commit) {
      throw new NotFoundError(
        `No ${revision.kind} '${revision.name}' in '${repo.owner}/${repo.name}'`,
      );
    }
    return commit;
  }

  /** What `filePath` is at `commit`: 'tree', 'blob', 'commit' (submodule), or a 404. */
  private async objectType(
    repo: RepositoryRef,
    commit: string,
    filePath: string,
  ): Promise<string> {
    const type = await this.run(repo, [
      'cat-file',
      '-t',
      `${commit}:${filePath}`,
    ]).catch(() => '');
    if (!type) {
      throw new NotFoundError(
        `No file or directory '${filePath}' in '${repo.owner}/${
          repo.name
        }' at ${commit.slice(0, 12)}`,
      );
    }
    return type;
  }

  async tree(
    repo: RepositoryRef,
    revision: RevisionName,
    dirPath: string,
  ): Promise<TreeView> {
    const commit = await this.commit(repo, revision);
    if (dirPath && (await this.objectType(repo, commit, dirPath)) !== 'tree') {
      throw new NotFoundError(
        `'${dirPath}' in '${repo.owner}/${repo.name}' is a file, not a directory`,
      );
    }
    const listing = await this.run(
      repo,
      ['ls-tree', '-z', '--long', `${commit}:${dirPath}`],
      true,
    );
    const entries = listing
      .split('\0')
      .filter(Boolean)
      .map((line): TreeEntry => {
        const tab = line.indexOf('\t');
        const [mode, type, , size] = line.slice(0, tab).split(/\s+/);
        const name = line.slice(tab + 1);
        let kind: TreeEntry['type'] = 'blob';
        if (type === 'tree') kind = 'tree';
        else if (type === 'commit') kind = 'submodule';
        else if (mode === '120000') kind = 'symlink';
        return {
          name,
          path: dirPath ? `${dirPath}/${name}` : name,
          type: kind,
          size: kind === 'blob' ? Number(size) : undefined,
        };
      });
    const rank = (entry: TreeEntry) => (entry.type === 'tree' ? 0 : 1);
    entries.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
    return { commit, path: dirPath, entries };
  }

  async file(
    repo: RepositoryRef,
    revision: RevisionName,
    filePath: string,
  ): Promise<FileView> {
    const commit = await this.commit(repo, revision);
    if (
      !filePath ||
      (await this.objectType(repo, commit, filePath)) !== 'blob'
    ) {
      throw new NotFoundError(
        `'${filePath || '/'}' in '${repo.owner}/${
          repo.name
        }' is a directory, not a file`,
      );
    }
    const object = `${commit}:${filePath}`;
    const mode = (
      await this.run(repo, ['ls-tree', commit, '--', filePath])
    ).split(/\s+/)[0];
    const size = Number(await this.run(repo, ['cat-file', '-s', object]));
    const content =
      size > MAX_FILE_BYTES
        ? ''
        : await this.run(repo, ['cat-file', 'blob', object], true);
    const binary = content.slice(0, 8000).includes('\0');
    const symlink = mode === '120000';
    return {
      commit,
      path: filePath,
      size,
      binary,
      truncated: size > MAX_FILE_BYTES,
      content: binary ? '' : content,
      symlinkTarget: symlink ? content : undefined,
    };
  }

  /** What `branch` changes since it left the default branch. */
  async diff(repo: RepositoryRef, branch: RevisionName): Promise<DiffView> {
    const base = await this.defaultBranch(repo);
    const [baseCommit, headCommit] = await Promise.all([
      this.commit(repo, { kind: 'branch', name: base }),
      this.commit(repo, branch),
    ]);
    const patch = await this.run(
      repo,
      [
        'diff',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--find-renames',
        `${baseCommit}...${headCommit}`,
        '--',
      ],
      true,
    );
    const truncated = patch.length > MAX_PATCH_BYTES;
    return {
      base,
      branch: branch.name,
      patch: truncated ? patch.slice(0, MAX_PATCH_BYTES) : patch,
      truncated,
    };
  }
}
