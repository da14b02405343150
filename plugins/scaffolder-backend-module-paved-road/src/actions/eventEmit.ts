import { createHash } from 'node:crypto';
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  INSIGHTS_EVENT_NAME,
  InsightsEvent,
} from '@internal/plugin-insights-common';
import { DeliveryResult, EventSink } from '../clients/eventDelivery';
import { readTaskDuration } from '../clients/scaffolderTasks';
import { TaskDowntime } from '../clients/taskDowntime';
import { parseActionInput, text, Zod } from '../input';
import { examples } from './eventEmit.examples';
import { withUserErrors } from './userErrors';

const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_ATTRIBUTES = 50;
const MAX_ATTRIBUTE_LENGTH = 1000;
// Control characters and line separators break log lines and downstream stores.
// eslint-disable-next-line no-control-regex
const SINGLE_LINE_TEXT = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;
// eslint-disable-next-line no-control-regex
const FREE_TEXT = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

const wellFormed = (value: string) => !LONE_SURROGATE.test(value);

const inputSchema = {
  name: (z: Zod) =>
    text(z, { max: 100 })
      .regex(
        INSIGHTS_EVENT_NAME,
        'must be dot-separated words of lowercase letters, digits and _, e.g. scaffold.completed',
      )
      .default('scaffold.completed')
      .describe('Event name'),
  service: (z: Zod) =>
    text(z, { max: 253 })
      .regex(
        SINGLE_LINE_TEXT,
        'must not contain control characters or line separators',
      )
      .refine(wellFormed, 'must be well-formed Unicode')
      .describe('Name of the service the template created'),
  attributes: (z: Zod) =>
    z
      .record(
        z
          .string()
          .regex(
            ATTRIBUTE_KEY,
            'keys must start with a letter and have at most 64 letters, digits, _ . -',
          ),
        z.union(
          [
            z
              .string()
              .max(
                MAX_ATTRIBUTE_LENGTH,
                `must be at most ${MAX_ATTRIBUTE_LENGTH} characters`,
              )
              .regex(FREE_TEXT, 'must not contain control characters')
              .refine(wellFormed, 'must be well-formed Unicode'),
            z.number().finite('must be a finite number'),
            z.boolean(),
          ],
          {
            errorMap: (issue, ctx) => ({
              message:
                issue.code === 'invalid_union'
                  ? 'must be a string, number or boolean'
                  : ctx.defaultError,
            }),
          },
        ),
        {
          invalid_type_error:
            'must be an object of strings, numbers and booleans',
        },
      )
      .refine(
        record => Object.keys(record).length <= MAX_ATTRIBUTES,
        `must have at most ${MAX_ATTRIBUTES} entries`,
      )
      .optional()
      .describe(
        `Free-form attributes: at most ${MAX_ATTRIBUTES} keys, values are strings (at most ${MAX_ATTRIBUTE_LENGTH} characters), numbers or booleans`,
      ),
  required: (z: Zod) =>
    z
      .boolean({ invalid_type_error: 'must be a boolean' })
      .default(false)
      .describe(
        'Fail the step when the event cannot be delivered; by default a failure is logged and the task goes on',
      ),
};

const outputSchema = {
  idempotencyKey: (z: Zod) =>
    z
      .string()
      .describe(
        'Event id, also sent as the Idempotency-Key header: sha256 of task id and event name',
      ),
  delivered: (z: Zod) =>
    z.boolean().describe('Whether the endpoint accepted the event'),
  status: (z: Zod) =>
    z
      .number()
      .int()
      .optional()
      .describe('HTTP status of the last answer, when there was one'),
  attempts: (z: Zod) =>
    z.number().int().describe('Requests made to the endpoint'),
  destination: (z: Zod) =>
    z
      .enum(['endpoint', 'log', 'dry-run'])
      .describe(
        'endpoint: posted to the configured endpoint; log: no endpoint configured, written to the log; dry-run: nothing sent',
      ),
};

type DeliveryRecord = {
  destination: 'endpoint' | 'log';
  delivered: boolean;
  status?: number;
  attempts: number;
};

/** Thrown inside the checkpoint so a failed delivery is not recorded as done. */
class EventDeliveryError extends Error {
  constructor(message: string, readonly result: DeliveryResult) {
    super(message);
    this.name = 'EventDeliveryError';
  }
}

/** The event id: the same for a retried or recovered task, so it is counted once. */
function eventIdempotencyKey(taskId: string, name: string): string {
  return createHash('sha256').update(`${taskId}\n${name}`).digest('hex');
}

/**
 * `portal:event:emit`: posts a JSON event about the scaffolded service to the portal's
 * insights backend (the default), to the endpoint
 * in `pavedRoad.events`, or logs it when no endpoint is configured.
 */
export function createEventEmitAction(options: {
  /** Where events go (`pavedRoad.events`); undefined: the task log only. */
  delivery: EventSink | undefined;
  /** To read the task's start time from the scaffolder. */
  discovery: DiscoveryService;
  auth: AuthService;
  /**
   * How long the task waited for restarts and retries, which `duration_ms` leaves out;
   * without it, `duration_ms` counts from the task's creation.
   */
  downtime?: TaskDowntime;
}) {
  const { delivery, discovery, auth, downtime } = options;

  return withUserErrors(
    createTemplateAction({
      id: 'portal:event:emit',
      description:
        "Posts a JSON event (scaffold.completed by default) about the created service to the portal's insights backend, or to pavedRoad.events.endpoint, at most once per task and event name.",
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input, {
          multiline: ['attributes'],
        });
        const idempotencyKey = eventIdempotencyKey(ctx.task.id, input.name);
        const now = Date.now();
        // A dry-run task is not stored, so there is no start time to read.
        let durationMs = ctx.isDryRun
          ? undefined
          : await readTaskDuration({
              discovery,
              auth,
              logger: ctx.logger,
              taskId: ctx.task.id,
              now,
              signal: ctx.signal,
            });
        if (durationMs !== undefined && downtime) {
          // the time the task ran: not while the backend was down, nor before a retry
          durationMs = await downtime.of(ctx.task.id).then(
            waited => Math.max(0, durationMs! - waited),
            error => {
              ctx.logger.warn(
                `Could not read how long task ${ctx.task.id} waited for restarts (${error}); duration_ms counts from its creation`,
              );
              return durationMs;
            },
          );
        }
        const event: InsightsEvent = {
          id: idempotencyKey,
          name: input.name,
          service: input.service,
          templateRef: ctx.templateInfo?.entityRef,
          user: ctx.user?.ref,
          taskId: ctx.task.id,
          duration_ms: durationMs ?? null,
          attributes: input.attributes ?? {},
          occurredAt: new Date(now).toISOString(),
        };
        const body = JSON.stringify(event);
        ctx.output('idempotencyKey', idempotencyKey);

        if (ctx.isDryRun) {
          const plan = delivery
            ? `POST to ${delivery.destination}`
            : 'log (pavedRoad.events.target is log)';
          ctx.logger.info(
            `Dry run: would ${plan} the event ${body} with Idempotency-Key ${idempotencyKey}`,
          );
          const refusal = delivery?.refusal();
          if (refusal) {
            ctx.logger.warn(`Dry run: the event would not be sent: ${refusal}`);
          }
          ctx.output('delivered', false);
          ctx.output('attempts', 0);
          ctx.output('destination', 'dry-run');
          return;
        }

        let record: DeliveryRecord;
        try {
          record = await ctx.checkpoint({
            key: `portal-event-emit-${idempotencyKey}`,
            fn: async (): Promise<DeliveryRecord> => {
              if (!delivery) {
                ctx.logger.info(
                  `Event '${input.name}' (pavedRoad.events.target is log, logged instead of sent): ${body}`,
                );
                return { destination: 'log', delivered: false, attempts: 0 };
              }
              const result = await delivery.post({
                body,
                idempotencyKey,
                signal: ctx.signal,
              });
              if (!result.delivered) {
                const failure =
                  result.attempts === 0
                    ? `Event '${input.name}' was not sent to ${delivery.destination}: ${result.reason}`
                    : `Event '${input.name}' could not be delivered to ${
                        delivery.destination
                      } after ${result.attempts} ${
                        result.attempts === 1 ? 'attempt' : 'attempts'
                      }: ${result.reason}`;
                throw new EventDeliveryError(failure, result);
              }
              return {
                destination: 'endpoint',
                delivered: true,
                status: result.status,
                attempts: result.attempts,
              };
            },
          });
        } catch (error) {
          if (!(error instanceof EventDeliveryError) || input.required) {
            throw error;
          }
          ctx.logger.warn(
            `${error.message}; going on because the step does not require delivery`,
          );
          const { delivered, status, attempts } = error.result;
          record = { destination: 'endpoint', delivered, status, attempts };
        }

        if (record.delivered) {
          ctx.logger.info(
            `Event '${input.name}' delivered (HTTP ${record.status}, ${
              record.attempts
            } ${record.attempts === 1 ? 'attempt' : 'attempts'})`,
          );
        }
        ctx.output('delivered', record.delivered);
        if (record.status !== undefined) {
          ctx.output('status', record.status);
        }
        ctx.output('attempts', record.attempts);
        ctx.output('destination', record.destination);
      },
    }),
  );
}
