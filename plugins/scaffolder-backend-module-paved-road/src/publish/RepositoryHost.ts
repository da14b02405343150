import { LoggerService } from '@backstage/backend-plugin-api';

/** A repository on a host: `host` is the SCM host, such as github.com. */
export type RepositoryRef = { host: string; owner: string; name: string };

/** A file a change writes: repository-relative path, forward slashes. */
export type FileChange = { path: string; content: string };

/** What to propose: files on a new branch, as a pull request or a plain branch. */
export type ChangeProposal = {
  branch: string;
  title: string;
  /** The pull request's description (hosts without pull requests ignore it). */
  body: string;
  commitMessage: string;
  files: FileChange[];
};

/** A proposed change, open for review. */
export type ChangeRequest = {
  branch: string;
  /** Where to review it: the pull request, or the repository of a local branch. */
  url: string;
  /** The pull request number, where there are pull requests. */
  number?: number;
  /** The branch's head commit, where the host knows it without asking. */
  commitHash?: string;
};

/** A repository just created (or that would be, in a dry run). */
export type PublishedRepository = {
  /** For logs: `git repository <path>`, `private GitHub repository <owner>/<name>`. */
  summary: string;
  remoteUrl: string;
  /** Base URL of the repository's files on its default branch, where the host serves them. */
  repoContentsUrl?: string;
  /** The repository on the portal host, for a local one. */
  localPath?: string;
  commitHash?: string;
};

/** Where the catalog reads a file of a published repository. */
export type CatalogLocation = { type: 'url' | 'file'; target: string };

/** What people see of a repository: where to browse it and how to name it in a log. */
export type RepositoryView = {
  url: string;
  /** `github.com/acme/orders`, or the repository's path on the portal host. */
  label: string;
  localPath?: string;
};

/**
 * Where golden paths keep repositories: GitHub in production, git repositories on the
 * portal host for the embedded default. Chosen once from `pavedRoad.publish.target`;
 * the actions never ask which.
 */
export interface RepositoryHost {
  /** The `provider` the actions output. */
  readonly provider: 'github' | 'local';
  /** What a change request is here: a pull request, or a plain branch. */
  readonly changeKind: 'pull-request' | 'branch';
  /**
   * Whether reading costs nothing (no API, no credentials), so that a dry run may look
   * at what is there.
   */
  readonly freeReads: boolean;

  /** The repository as people browse it. Local: refuses one that does not exist. */
  view(repo: RepositoryRef): Promise<RepositoryView>;

  /** What {@link RepositoryHost.createRepository} would output, without creating it. */
  plannedRepository(repo: RepositoryRef): PublishedRepository;

  /**
   * Creates the repository with `sourceDir` (its `.git` left out) as the one commit on
   * `main`. Refuses an existing repository.
   */
  createRepository(request: {
    repo: RepositoryRef;
    description?: string;
    sourceDir: string;
    logger: LoggerService;
  }): Promise<PublishedRepository>;

  /**
   * Where the catalog reads `filePath` (absolute in the repository) of a repository
   * this host published, from what {@link RepositoryHost.createRepository} output.
   * Refuses, naming the field, what this host cannot have published.
   */
  catalogLocation(
    published: { repoContentsUrl?: string; localPath?: string },
    filePath: string,
  ): CatalogLocation;

  /** The default branch and, where the host knows it without asking, its head. */
  defaultBranch(
    repo: RepositoryRef,
  ): Promise<{ name: string; commitHash?: string }>;

  /** The open change request from `branch`, if there is one. */
  findChangeRequest(
    repo: RepositoryRef,
    branch: string,
  ): Promise<ChangeRequest | undefined>;

  /** The file's text at `ref` (a branch or commit), or undefined when it is not there. */
  readFile(
    repo: RepositoryRef,
    filePath: string,
    ref: string,
  ): Promise<string | undefined>;

  /**
   * Opens a change request on top of the default branch. Returns undefined when the
   * files are on the default branch already (nothing to propose); throws when the
   * branch exists.
   */
  openChangeRequest(
    repo: RepositoryRef,
    proposal: ChangeProposal,
  ): Promise<ChangeRequest | undefined>;

  /** Where to browse `filePath` on `branch`. */
  fileUrl(repo: RepositoryRef, branch: string, filePath: string): string;
}
