// The work this service does for each message: replace the body of handleMessage.
import type { MessageHandler } from './worker.ts';

type ExampleEvent = { type: string };

function isExampleEvent(value: unknown): value is ExampleEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

export const handleMessage: MessageHandler = async (message, { logger }) => {
  let event: unknown;
  try {
    event = JSON.parse(message.body);
  } catch {
    throw new Error('Message body is not JSON');
  }
  if (!isExampleEvent(event)) {
    throw new Error('Message has no string "type"');
  }
  // Log what identifies the work, never the whole body: it may carry personal data.
  logger.info('event received', { type: event.type });
};
