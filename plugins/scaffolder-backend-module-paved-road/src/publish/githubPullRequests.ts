import { GithubApi, refused } from './githubApi';
import { ChangeProposal, ChangeRequest, RepositoryRef } from './RepositoryHost';

/** A repository path for the API: each segment encoded, the slashes kept. */
export const encodePath = (file: string) =>
  file.split('/').map(encodeURIComponent).join('/');

/**
 * Whether the branch exists with exactly `tree` on the same base: a branch this request
 * created before it was interrupted (a restart before the pull request), to open the
 * pull request from.
 */
async function sameBranch(
  api: GithubApi,
  repo: RepositoryRef,
  proposal: ChangeProposal,
  tree: string,
): Promise<boolean> {
  const ref = await api.repo(
    repo.owner,
    repo.name,
    `/git/ref/heads/${encodePath(proposal.branch)}`,
  );
  if (!ref.ok) {
    return false;
  }
  const head = (await ref.json()) as { object: { sha: string } };
  const commit = await api.repo(
    repo.owner,
    repo.name,
    `/git/commits/${head.object.sha}`,
  );
  return (
    commit.ok &&
    ((await commit.json()) as { tree: { sha: string } }).tree.sha === tree
  );
}

/**
 * Opens a pull request through GitHub's git data API: one commit on the head of `base`
 * with the files, a new branch at it, a pull request from it. Returns undefined when the
 * files change nothing on `base`; a branch that exists already is GitHub's 422, unless
 * it holds exactly these files on `base` (then the pull request is opened from it).
 */
export async function openPullRequest(options: {
  api: GithubApi;
  repo: RepositoryRef;
  base: string;
  proposal: ChangeProposal;
  author: { name: string; email: string };
}): Promise<ChangeRequest | undefined> {
  const { api, repo, base, proposal, author } = options;
  const { owner, name } = repo;
  const where = `${owner}/${name}`;
  const call = async <T>(
    what: string,
    rest: string,
    init?: { method: string; body: unknown },
  ): Promise<T> => {
    const res = await api.repo(owner, name, rest, init);
    if (!res.ok) {
      throw await refused(res, `${what} in ${where}`);
    }
    return (await res.json()) as T;
  };
  const head = await call<{ object: { sha: string } }>(
    `read the branch ${base}`,
    `/git/ref/heads/${encodePath(base)}`,
  );
  const baseCommit = await call<{ tree: { sha: string } }>(
    `read the commit ${head.object.sha}`,
    `/git/commits/${head.object.sha}`,
  );
  const tree = await call<{ sha: string }>('write a tree', '/git/trees', {
    method: 'POST',
    body: {
      base_tree: baseCommit.tree.sha,
      // a null sha removes the file from the tree
      tree: proposal.files.map(file => ({
        path: file.path,
        mode: '100644',
        type: 'blob',
        ...(file.content === undefined
          ? { sha: null }
          : { content: file.content }),
      })),
    },
  });
  if (tree.sha === baseCommit.tree.sha) {
    return undefined;
  }
  const commit = await call<{ sha: string }>('write a commit', '/git/commits', {
    method: 'POST',
    body: {
      message: proposal.commitMessage,
      tree: tree.sha,
      parents: [head.object.sha],
      author,
    },
  });
  const created = await api.repo(owner, name, '/git/refs', {
    method: 'POST',
    body: { ref: `refs/heads/${proposal.branch}`, sha: commit.sha },
  });
  if (!created.ok && !(await sameBranch(api, repo, proposal, tree.sha))) {
    throw await refused(
      created,
      `create the branch ${proposal.branch} in ${where}`,
    );
  }
  const pull = await call<{ number: number; html_url: string }>(
    `open a pull request from ${proposal.branch}`,
    '/pulls',
    {
      method: 'POST',
      body: {
        title: proposal.title,
        body: proposal.body,
        head: proposal.branch,
        base,
      },
    },
  );
  return { branch: proposal.branch, url: pull.html_url, number: pull.number };
}

/** The open pull requests whose branch starts with `prefix` (the first 100). */
export async function listPullRequests(
  api: GithubApi,
  repo: RepositoryRef,
  prefix: string,
): Promise<ChangeRequest[]> {
  const query = new URLSearchParams({ state: 'open', per_page: '100' });
  const res = await api.repo(repo.owner, repo.name, `/pulls?${query}`);
  if (!res.ok) {
    throw await refused(
      res,
      `list the pull requests of ${repo.owner}/${repo.name}`,
    );
  }
  const pulls = (await res.json()) as Array<{
    number: number;
    html_url: string;
    head: { ref: string; sha?: string };
  }>;
  return pulls
    .filter(pull => pull.head.ref.startsWith(prefix))
    .map(pull => ({
      branch: pull.head.ref,
      url: pull.html_url,
      number: pull.number,
      commitHash: pull.head.sha,
    }));
}

/** Comments why, closes the pull request and deletes its branch. */
export async function closePullRequest(
  api: GithubApi,
  repo: RepositoryRef,
  request: ChangeRequest,
  reason: string,
): Promise<void> {
  const { owner, name } = repo;
  const where = `${owner}/${name}`;
  if (request.number !== undefined) {
    const issue = `/issues/${request.number}/comments`;
    const commented = await api.repo(owner, name, issue, {
      method: 'POST',
      body: { body: reason },
    });
    if (!commented.ok) {
      throw await refused(
        commented,
        `comment on #${request.number} in ${where}`,
      );
    }
    const closed = await api.repo(owner, name, `/pulls/${request.number}`, {
      method: 'PATCH',
      body: { state: 'closed' },
    });
    if (!closed.ok) {
      throw await refused(closed, `close #${request.number} in ${where}`);
    }
  }
  const ref = `/git/refs/heads/${encodePath(request.branch)}`;
  const deleted = await api.repo(owner, name, ref, { method: 'DELETE' });
  // 422: the branch is gone already
  if (!deleted.ok && deleted.status !== 422 && deleted.status !== 404) {
    throw await refused(deleted, `delete ${request.branch} in ${where}`);
  }
}
