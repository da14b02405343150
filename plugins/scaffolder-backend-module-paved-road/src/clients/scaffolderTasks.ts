import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { tryEntityKey } from '@internal/paved-road-common';
import { TaskSummary } from '../publish/leftBehind';

const DURATION_LOOKUP_TIMEOUT_MS = 5000;
const LOOKUP_TIMEOUT_MS = 10_000;

/** The scaffolder's task API, called with the scaffolder's own credentials. */
export class ScaffolderTasks {
  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
  }): ScaffolderTasks {
    return new ScaffolderTasks(options.discovery, options.auth);
  }

  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Who started a task, for which team, and how it stands; undefined when unknown. */
  async summary(taskId: string): Promise<TaskSummary | undefined> {
    const baseUrl = await this.discovery.getBaseUrl('scaffolder');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const response = await fetch(
      `${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}`,
      {
        headers: { Authorization: `Bearer ${token}` },
        redirect: 'error',
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      },
    );
    if (response.status === 404) {
      await response.text();
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const task = (await response.json()) as {
      status: string;
      createdBy?: string;
      spec?: { parameters?: { owner?: unknown } };
    };
    return {
      status: task.status,
      createdBy: task.createdBy || undefined,
      owner: tryEntityKey(task.spec?.parameters?.owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    };
  }
}

/** Milliseconds since the task was created, read from the scaffolder; undefined when unknown. */
export async function readTaskDuration(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  taskId: string;
  now: number;
  signal?: AbortSignal;
}): Promise<number | undefined> {
  const { discovery, auth, logger, taskId, now } = options;
  let problem: string;
  try {
    const baseUrl = await discovery.getBaseUrl('scaffolder');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const timeout = AbortSignal.timeout(DURATION_LOOKUP_TIMEOUT_MS);
    const response = await fetch(
      `${baseUrl}/v2/tasks/${encodeURIComponent(taskId)}`,
      {
        headers: { Authorization: `Bearer ${token}` },
        redirect: 'error',
        signal: options.signal
          ? AbortSignal.any([options.signal, timeout])
          : timeout,
      },
    );
    if (response.ok) {
      const task = (await response.json()) as { createdAt?: unknown };
      const createdAt =
        typeof task?.createdAt === 'string'
          ? Date.parse(task.createdAt)
          : Number.NaN;
      if (Number.isFinite(createdAt)) {
        return Math.max(0, now - createdAt);
      }
      problem = 'the task has no valid createdAt';
    } else {
      await response.body?.cancel().catch(() => undefined);
      problem = `the scaffolder answered HTTP ${response.status}`;
    }
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  logger.warn(
    `Could not read the start time of task ${taskId} (${problem}); sending duration_ms: null`,
  );
  return undefined;
}
