import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';

/** A repository on a host: `host` is the SCM host, such as github.com. */
export type RepositoryRef = { host: string; owner: string; name: string };

/**
 * A file a change writes: repository-relative path, forward slashes. `content`
 * undefined removes the file (a template upgrade drops what the template dropped).
 */
export type FileChange = { path: string; content: string | undefined };

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

/** What to publish: the workspace (its `.git` left out) as a repository's one commit. */
export type PublishRequest = {
  repo: RepositoryRef;
  description?: string;
  sourceDir: string;
  /** The task publishing it: written into the commit (see {@link taskTrailer}). */
  taskId?: string;
  logger: LoggerService;
};

/** The first commit of a repository, as far as telling who made it goes. */
export type CommitSummary = { hash: string; message: string };

/**
 * The history of a repository's default branch, enough to tell one the portal just
 * created (one commit, or none yet) from one in use: its latest two commits at most.
 */
export type RepositoryHistory =
  | { state: 'absent' }
  /** Something that is not a repository is in the way (local only). */
  | { state: 'foreign' }
  | { state: 'empty' }
  | { state: 'commits'; commits: CommitSummary[] };

/** {@link RepositoryHost.createRepository} found a repository of that name. */
export class RepositoryExistsError extends ConflictError {}

/** The trailer of the portal's first commits that names the task that made it. */
export const TASK_TRAILER = 'Paved-Road-Task';

/** `message` with the trailer naming `taskId`, when there is one. */
export function withTaskTrailer(message: string, taskId?: string): string {
  return taskId
    ? `${message.trimEnd()}\n\n${TASK_TRAILER}: ${taskId}\n`
    : message;
}

/** The task a commit message names in its trailer, if it has one. */
export function taskTrailer(message: string): string | undefined {
  return new RegExp(`^${TASK_TRAILER}: (\\S+)\\s*$`, 'm').exec(message)?.[1];
}

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
   * `main`, its message ending in the task's trailer. Refuses an existing repository
   * with a {@link RepositoryExistsError}.
   */
  createRepository(request: PublishRequest): Promise<PublishedRepository>;

  /** The latest two commits of the default branch at most, to judge a repository found. */
  history(repo: RepositoryRef): Promise<RepositoryHistory>;

  /**
   * Makes `sourceDir` the one commit of an existing repository the portal left behind
   * (see `leftBehind.ts`), replacing what `main` had; the description is updated.
   */
  replaceRepository(request: PublishRequest): Promise<PublishedRepository>;

  /**
   * Finishes a repository this task created before a restart, at `commitHash`: what
   * creating it would have done after the first commit (GitHub: protects `main`).
   */
  completeRepository(request: {
    repo: RepositoryRef;
    commitHash: string;
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

  /** The message of the commit at `ref` (a branch or commit), or undefined. */
  commitMessage(repo: RepositoryRef, ref: string): Promise<string | undefined>;

  /** The file's text at `ref` (a branch or commit), or undefined when it is not there. */
  readFile(
    repo: RepositoryRef,
    filePath: string,
    ref: string,
  ): Promise<string | undefined>;

  /**
   * Several files' text at `ref` at once, the absent ones left out, where the host can
   * read them in one go (see {@link RepositoryHost.readFile}).
   */
  readFiles?(
    repo: RepositoryRef,
    filePaths: string[],
    ref: string,
  ): Promise<Map<string, string>>;

  /**
   * Opens a change request on top of the default branch. Returns undefined when the
   * files are on the default branch already (nothing to propose); throws when the
   * branch exists.
   */
  openChangeRequest(
    repo: RepositoryRef,
    proposal: ChangeProposal,
  ): Promise<ChangeRequest | undefined>;

  /** The open change requests whose branch starts with `prefix`. */
  listChangeRequests(
    repo: RepositoryRef,
    prefix: string,
  ): Promise<ChangeRequest[]>;

  /**
   * Closes a change request that a newer one replaces, saying why: GitHub closes the
   * pull request with a comment and deletes its branch; a local branch is deleted.
   */
  closeChangeRequest(
    repo: RepositoryRef,
    request: ChangeRequest,
    reason: string,
  ): Promise<void>;

  /** Where to browse `filePath` on `branch`. */
  fileUrl(repo: RepositoryRef, branch: string, filePath: string): string;
}
