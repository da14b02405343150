import { RepositoryHistory, taskTrailer } from './RepositoryHost';

/** What the scaffolder knows of a task: enough to tell whose it was and how it ended. */
export type TaskSummary = {
  status: string;
  createdBy?: string;
  /** The team it was for: its `owner` parameter, a full reference. */
  owner?: string;
};

/** What to do with a repository that is there already when a task creates it. */
export type Verdict =
  /** This task created it before a restart: go on with it at this commit. */
  | { kind: 'ours'; commitHash: string }
  /** Left behind by an earlier attempt of the same owner: replace its content. */
  | { kind: 'left-behind'; reason: string }
  /** Somebody's repository: refuse, saying why. */
  | { kind: 'taken'; reason: string };

const RUNNING = new Set(['open', 'processing']);

/**
 * Judges a repository found where a task wants to create one. It is this task's when
 * its one commit names this task (a restart interrupted the step after the commit). It
 * was left behind, and may be replaced, when it is empty (an attempt stopped between
 * creating and pushing) or when its one commit is the portal's first commit of another
 * task that is over (failed, cancelled, or completed) and was started by the same user
 * or for the same team, and no catalog entity comes from it. Anything else is somebody's
 * repository.
 */
export async function judgeExistingRepository(options: {
  history: RepositoryHistory;
  taskId: string;
  /** The scaffolder's record of a task; undefined when it has none. */
  task: (taskId: string) => Promise<TaskSummary | undefined>;
  /** The catalog entity read from the repository, if any. */
  registeredEntity: () => Promise<string | undefined>;
}): Promise<Verdict> {
  const { history } = options;
  if (history.state === 'empty') {
    return {
      kind: 'left-behind',
      reason: 'it is empty: an earlier attempt stopped before its first push',
    };
  }
  if (history.state !== 'commits') {
    return { kind: 'taken', reason: 'it is not a git repository' };
  }
  if (history.commits.length !== 1) {
    return {
      kind: 'taken',
      reason: "it has commits beyond the portal's first one",
    };
  }
  const [commit] = history.commits;
  const creator = taskTrailer(commit.message);
  if (!creator) {
    return {
      kind: 'taken',
      reason: 'its commit was not made by a portal task',
    };
  }
  if (creator === options.taskId) {
    return { kind: 'ours', commitHash: commit.hash };
  }
  const [earlier, current] = await Promise.all([
    options.task(creator),
    options.task(options.taskId),
  ]);
  if (!earlier) {
    return {
      kind: 'taken',
      reason: `it was created by task ${creator}, which this portal has no record of`,
    };
  }
  if (RUNNING.has(earlier.status)) {
    return {
      kind: 'taken',
      reason: `task ${creator} is creating it right now`,
    };
  }
  const sameUser =
    earlier.createdBy !== undefined && earlier.createdBy === current?.createdBy;
  const sameTeam =
    earlier.owner !== undefined && earlier.owner === current?.owner;
  if (!sameUser && !sameTeam) {
    return {
      kind: 'taken',
      reason: `it was left behind by task ${creator} of ${
        earlier.createdBy ?? 'another user'
      } for ${earlier.owner ?? 'another team'}`,
    };
  }
  const entity = await options.registeredEntity();
  if (entity) {
    return {
      kind: 'taken',
      reason: `the catalog has ${entity} from it`,
    };
  }
  return {
    kind: 'left-behind',
    reason: `task ${creator} created it and ended ${earlier.status} without registering it in the catalog`,
  };
}
