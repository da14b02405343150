import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';

const DURATION_LOOKUP_TIMEOUT_MS = 5000;

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
