import { ConflictError } from '@backstage/errors';
import {
  ChangeProposal,
  ChangeRequest,
  RepositoryHost,
  RepositoryRef,
  taskTrailer,
  withTaskTrailer,
} from './RepositoryHost';

/** What {@link proposeChange} found or did. */
export type ProposalOutcome = ChangeRequest & {
  /** false when the same change was open (or merged) already: nothing new was opened. */
  created: boolean;
};

function differentFile(
  host: RepositoryHost,
  open: ChangeRequest,
  file: string,
): ConflictError {
  return new ConflictError(
    host.changeKind === 'pull-request'
      ? `Pull request ${open.url} from ${open.branch} is open with a different ${file}; merge or close it, then request again`
      : `The branch '${open.branch}' already exists with a different ${file}; merge or delete it, then request again`,
  );
}

/**
 * The same change, open or merged; a different one open on the branch is a conflict.
 * An open one whose commit names `taskId` is this task's (opened before a restart), and
 * reported as created.
 */
async function existingChange(
  host: RepositoryHost,
  repo: RepositoryRef,
  proposal: ChangeProposal,
  taskId?: string,
): Promise<ProposalOutcome | undefined> {
  const open = await host.findChangeRequest(repo, proposal.branch);
  if (open) {
    for (const file of proposal.files) {
      const onBranch = await host.readFile(
        repo,
        file.path,
        open.commitHash ?? open.branch,
      );
      if (onBranch !== file.content) {
        throw differentFile(host, open, file.path);
      }
    }
    const message = taskId
      ? await host.commitMessage(repo, open.commitHash ?? open.branch)
      : undefined;
    const ours = message !== undefined && taskTrailer(message) === taskId;
    return { created: ours, ...open };
  }
  return mergedChange(host, repo, proposal);
}

/** The default branch, when it holds every file of the proposal already. */
async function mergedChange(
  host: RepositoryHost,
  repo: RepositoryRef,
  proposal: ChangeProposal,
): Promise<ProposalOutcome | undefined> {
  const base = await host.defaultBranch(repo);
  for (const file of proposal.files) {
    const merged = await host.readFile(
      repo,
      file.path,
      base.commitHash ?? base.name,
    );
    if (merged !== file.content) {
      return undefined;
    }
  }
  return {
    created: false,
    branch: base.name,
    url: host.fileUrl(repo, base.name, proposal.files[0]?.path ?? ''),
    commitHash: base.commitHash,
  };
}

/**
 * Proposes files on a branch, idempotently: the same change open on the branch or
 * merged already is reported (`created: false`) and nothing new is opened; a different
 * one open on the branch is a ConflictError. `inspectOnly` looks and changes nothing,
 * for dry runs. With `taskId`, the commit names the task, so the task finds the request
 * it opened before a restart and still reports it as created.
 */
export async function proposeChange(
  host: RepositoryHost,
  repo: RepositoryRef,
  change: ChangeProposal,
  options: { inspectOnly?: boolean; taskId?: string } = {},
): Promise<ProposalOutcome> {
  const { taskId } = options;
  const proposal = {
    ...change,
    commitMessage: withTaskTrailer(change.commitMessage, taskId),
  };
  const existing = await existingChange(host, repo, proposal, taskId);
  if (existing) {
    return existing;
  }
  if (options.inspectOnly) {
    const { url } = await host.view(repo);
    return { created: true, branch: proposal.branch, url };
  }
  let opened: ChangeRequest | undefined;
  try {
    opened = await host.openChangeRequest(repo, proposal);
  } catch (error) {
    // another request for the same branch may have won the race
    const raced = await existingChange(host, repo, proposal, taskId);
    if (raced) {
      return raced;
    }
    throw error;
  }
  if (opened) {
    return { created: true, ...opened };
  }
  // nothing to change after all: merged meanwhile
  const merged = await mergedChange(host, repo, proposal);
  if (!merged) {
    throw new ConflictError(
      `The default branch of ${repo.owner}/${repo.name} changed while the request was made; request again`,
    );
  }
  return merged;
}
