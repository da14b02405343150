import fs from 'node:fs/promises';
import path from 'node:path';
import { isChildPath } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { RepositoryPages } from '../browse/pages';
import { git } from '../git/git';
import {
  branchesWithPrefix,
  branchHead,
  createBranchWithFiles,
  createLocalRepository,
  currentBranch,
  deleteBranch,
  fileAt,
  filesAt,
  latestCommits,
} from './localBranches';
import {
  CatalogLocation,
  ChangeProposal,
  ChangeRequest,
  PublishedRepository,
  PublishRequest,
  RepositoryExistsError,
  RepositoryHistory,
  RepositoryHost,
  RepositoryRef,
  RepositoryView,
  withTaskTrailer,
} from './RepositoryHost';

/** Repository owners and names the portal creates: lowercase letters, digits, dashes. */
const REPO_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The embedded default's stand-in for GitHub: git repositories on the portal host, as
 * `<directory>/<owner>/<name>`, and plain branches for change requests.
 */
export class LocalRepositoryHost implements RepositoryHost {
  readonly provider = 'local';
  readonly changeKind = 'branch';
  readonly freeReads = true;

  static create(options: {
    /** `pavedRoad.publish.local.directory`, absolute. */
    directory: string;
    author: { name: string; email: string };
    /** The message of a new repository's one commit. */
    initialCommitMessage: string;
    /** The portal's pages of these repositories, where people browse them. */
    pages: RepositoryPages;
  }): LocalRepositoryHost {
    return new LocalRepositoryHost(
      options.directory,
      options.author,
      options.initialCommitMessage,
      options.pages,
    );
  }

  private constructor(
    private readonly directory: string,
    private readonly author: { name: string; email: string },
    private readonly initialCommitMessage: string,
    private readonly pages: RepositoryPages,
  ) {}

  private localPath(repo: RepositoryRef): string {
    return path.join(this.directory, repo.owner, repo.name);
  }

  /** The repository's path, once it is known to be one of ours. */
  private async existing(repo: RepositoryRef): Promise<string> {
    const localPath = this.localPath(repo);
    const isRepo =
      REPO_NAME.test(repo.owner) &&
      REPO_NAME.test(repo.name) &&
      isChildPath(this.directory, localPath) &&
      (await fs
        .stat(path.join(localPath, '.git'))
        .then(stat => stat.isDirectory())
        .catch(() => false));
    if (!isRepo) {
      throw new NotFoundError(
        `No repository '${repo.owner}/${repo.name}' on the portal host (pavedRoad.publish.local.directory)`,
      );
    }
    return localPath;
  }

  async view(repo: RepositoryRef): Promise<RepositoryView> {
    const localPath = await this.existing(repo);
    return { url: this.pages.repository(repo), label: localPath, localPath };
  }

  plannedRepository(repo: RepositoryRef): PublishedRepository {
    const localPath = this.localPath(repo);
    return {
      summary: `git repository ${localPath}`,
      remoteUrl: this.pages.repository(repo),
      localPath,
    };
  }

  async createRepository(
    request: PublishRequest,
  ): Promise<PublishedRepository> {
    const { repo } = request;
    const localPath = this.localPath(repo);
    if (
      await fs
        .lstat(localPath)
        .then(() => true)
        .catch(() => false)
    ) {
      throw new RepositoryExistsError(
        `A repository named '${repo.owner}/${repo.name}' already exists on the portal host`,
      );
    }
    const commitHash = await createLocalRepository({
      localPath,
      sourceDir: request.sourceDir,
      author: this.author,
      message: withTaskTrailer(this.initialCommitMessage, request.taskId),
    });
    return { ...this.plannedRepository(repo), commitHash };
  }

  async history(repo: RepositoryRef): Promise<RepositoryHistory> {
    const localPath = this.localPath(repo);
    if (!(await fs.lstat(localPath).catch(() => undefined))) {
      return { state: 'absent' };
    }
    let localRepo: string;
    try {
      localRepo = await this.existing(repo);
    } catch {
      return { state: 'foreign' };
    }
    const commits = await latestCommits(localRepo, 2);
    return commits ? { state: 'commits', commits } : { state: 'empty' };
  }

  async replaceRepository(
    request: PublishRequest,
  ): Promise<PublishedRepository> {
    const { repo } = request;
    const commitHash = await createLocalRepository({
      localPath: await this.existing(repo),
      sourceDir: request.sourceDir,
      author: this.author,
      message: withTaskTrailer(this.initialCommitMessage, request.taskId),
      replace: true,
    });
    return { ...this.plannedRepository(repo), commitHash };
  }

  async completeRepository(request: {
    repo: RepositoryRef;
    commitHash: string;
  }): Promise<PublishedRepository> {
    return {
      ...this.plannedRepository(request.repo),
      commitHash: request.commitHash,
    };
  }

  catalogLocation(
    published: { localPath?: string },
    filePath: string,
  ): CatalogLocation {
    if (!published.localPath) {
      throw new InputError(
        "Invalid input: field 'localPath': required for provider 'local'",
      );
    }
    const file = path.join(path.resolve(published.localPath), filePath);
    // filePath names a file, so file is never the directory itself
    if (!isChildPath(this.directory, file)) {
      throw new InputError(
        `Invalid input: field 'localPath': must be a repository under ${this.directory}`,
      );
    }
    return { type: 'file', target: file };
  }

  async defaultBranch(
    repo: RepositoryRef,
  ): Promise<{ name: string; commitHash: string }> {
    return currentBranch(await this.existing(repo));
  }

  async findChangeRequest(
    repo: RepositoryRef,
    branch: string,
  ): Promise<ChangeRequest | undefined> {
    const localPath = await this.existing(repo);
    const head = await branchHead(localPath, branch);
    return head
      ? { branch, url: this.pages.diff(repo, branch), commitHash: head }
      : undefined;
  }

  async commitMessage(
    repo: RepositoryRef,
    ref: string,
  ): Promise<string | undefined> {
    const localRepo = await this.existing(repo);
    return git(localRepo, ['log', '-1', '--format=%B', ref, '--']).catch(
      () => undefined,
    );
  }

  async readFile(
    repo: RepositoryRef,
    filePath: string,
    ref: string,
  ): Promise<string | undefined> {
    return fileAt(await this.existing(repo), ref, filePath);
  }

  async readFiles(
    repo: RepositoryRef,
    filePaths: string[],
    ref: string,
  ): Promise<Map<string, string>> {
    return filesAt(await this.existing(repo), ref, filePaths);
  }

  async openChangeRequest(
    repo: RepositoryRef,
    proposal: ChangeProposal,
  ): Promise<ChangeRequest | undefined> {
    const localPath = await this.existing(repo);
    const base = await currentBranch(localPath);
    const unchanged = await Promise.all(
      proposal.files.map(
        async file =>
          (await fileAt(localPath, base.commitHash, file.path)) ===
          file.content,
      ),
    );
    if (unchanged.every(Boolean)) {
      return undefined;
    }
    const commitHash = await createBranchWithFiles({
      repo: localPath,
      branch: proposal.branch,
      files: proposal.files,
      message: proposal.commitMessage,
      author: this.author,
    });
    return {
      branch: proposal.branch,
      url: this.pages.diff(repo, proposal.branch),
      commitHash,
    };
  }

  async listChangeRequests(
    repo: RepositoryRef,
    prefix: string,
  ): Promise<ChangeRequest[]> {
    const localPath = await this.existing(repo);
    return (await branchesWithPrefix(localPath, prefix)).map(branch => ({
      branch: branch.name,
      url: this.pages.diff(repo, branch.name),
      commitHash: branch.commitHash,
    }));
  }

  async closeChangeRequest(
    repo: RepositoryRef,
    request: ChangeRequest,
  ): Promise<void> {
    const localPath = await this.existing(repo);
    const head =
      request.commitHash ?? (await branchHead(localPath, request.branch));
    if (head) {
      await deleteBranch(localPath, request.branch, head);
    }
  }

  fileUrl(repo: RepositoryRef, branch: string, filePath: string): string {
    return this.pages.file(repo, branch, filePath);
  }
}
