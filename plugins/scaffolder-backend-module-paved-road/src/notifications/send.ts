import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';

// A notifications backend that hangs must not hold a task step for long.
const SEND_TIMEOUT_MS = 5000;

/** The topic of the portal's own task and pull request notifications. */
export const PORTAL_TOPIC = 'paved-road';

/**
 * Sends one notification; true when sent, false (and a warning in the log) when the
 * notifications backend failed or did not answer in time. Never throws: telling people
 * is never worth failing the work it tells them about.
 */
export async function sendNotification(
  deps: { notifications: NotificationService; logger: LoggerService },
  what: string,
  options: NotificationSendOptions,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${SEND_TIMEOUT_MS} ms`)),
      SEND_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([deps.notifications.send(options), timeout]);
    return true;
  } catch (error) {
    deps.logger.warn(
      `Could not send the notification of ${what}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    return false;
  } finally {
    clearTimeout(timer);
  }
}
