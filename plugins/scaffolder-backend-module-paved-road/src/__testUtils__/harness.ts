import { createHash } from 'node:crypto';
import { DiscoveryService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject, JsonValue } from '@backstage/types';
import { createEventEmitAction } from '../actions/eventEmit';
import { createEventSink } from '../clients/eventSinks';
import { readPavedRoadConfig } from '../config';
import { captureLogger } from './captureLogger';
import { EventServer } from './eventServer';

export const TOKEN = 'evt-tok-9f8e7d6c5b4a-do-not-log';
export const TEMPLATE_REF = 'template:default/java-service';
export const USER_REF = 'user:default/jane.doe';

/** What the action should use as event id, computed independently of it. */
export function expectedKey(taskId: string, name: string): string {
  return createHash('sha256').update(`${taskId}\n${name}`).digest('hex');
}

/** Discovery that points every plugin at the test server. */
export function testDiscovery(server: EventServer): DiscoveryService {
  return {
    getBaseUrl: async pluginId => `${server.url}/api/${pluginId}`,
    getExternalBaseUrl: async pluginId => `${server.url}/api/${pluginId}`,
  };
}

/** The action with `pavedRoad.events` set to `events` (no key: no config at all). */
export function createTestAction(server: EventServer, events?: JsonObject) {
  const { events: settings } = readPavedRoadConfig(
    new ConfigReader(events ? { pavedRoad: { events } } : {}),
  );
  const discovery = testDiscovery(server);
  const auth = mockServices.auth();
  return createEventEmitAction({
    delivery: createEventSink(settings, {
      discovery,
      auth,
      retryBaseDelayMs: 1,
    }),
    discovery,
    auth,
  });
}

/** Checkpoints kept across handler runs, as the task store keeps them for a recovered task. */
export function checkpointStore() {
  const values = new Map<string, JsonValue | void>();
  return {
    values,
    async checkpoint<T extends JsonValue | void>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (values.has(opts.key)) {
        return values.get(opts.key) as T;
      }
      const value = await opts.fn();
      values.set(opts.key, value);
      return value;
    },
  };
}

/** A mock context with a capturing logger and outputs collected in an object. */
export function createTestContext(options: {
  input: unknown;
  taskId: string;
  isDryRun?: boolean;
  signal?: AbortSignal;
  checkpoints?: ReturnType<typeof checkpointStore>;
}) {
  const { logger, lines } = captureLogger();
  const outputs: Record<string, unknown> = {};
  const context = {
    ...createMockActionContext({
      input: options.input as JsonObject,
      task: { id: options.taskId },
      templateInfo: { entityRef: TEMPLATE_REF },
      user: { ref: USER_REF },
      logger,
    }),
    output: (name: string | number | symbol, value: unknown) => {
      outputs[String(name)] = value;
    },
    isDryRun: options.isDryRun,
    signal: options.signal,
  };
  if (options.checkpoints) {
    context.checkpoint = options.checkpoints.checkpoint;
  }
  return { context, outputs, lines };
}
