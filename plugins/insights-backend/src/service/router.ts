import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  CONTROL_CHARACTERS_MESSAGE,
  hasControlCharacters,
  normalizeTimestamp,
} from '@internal/paved-road-common';
import {
  databaseOutageHandler,
  OPEN_API_ROUTER_OPTIONS,
  parseRequest,
  serviceOutageHandler,
} from '@internal/paved-road-node';
import { z } from 'zod';
import { InsightsService } from '../figures/InsightsService';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { toOpenMetrics } from '../figures/openMetrics';

import { INSIGHTS_EVENT_NAME as EVENT_NAME } from '@internal/plugin-insights-common';

// Text as both databases store it alike: PostgreSQL refuses NUL, SQLite keeps it.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine(value => !hasControlCharacters(value), CONTROL_CHARACTERS_MESSAGE);

const eventSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{8,128}$/,
      'must be 8 to 128 letters, digits, _ or -',
    ),
  name: z
    .string()
    .max(100)
    .regex(
      EVENT_NAME,
      'must be dot-separated lowercase words, like scaffold.completed',
    ),
  service: text(253).refine(value => value !== '', 'must not be empty'),
  templateRef: text(255).optional(),
  user: text(255).optional(),
  taskId: text(64).optional(),
  duration_ms: z
    .number()
    .int('must be whole milliseconds')
    .nonnegative('must not be negative')
    .nullable(),
  attributes: z
    .record(text(64), z.union([text(1000), z.number(), z.boolean()]))
    .refine(a => Object.keys(a).length <= 50, 'must have at most 50 entries'),
  // Stored as UTC with milliseconds, so stored times sort and fit alike everywhere.
  occurredAt: z.string().transform((value, ctx) => {
    const stored = normalizeTimestamp(value);
    if (stored === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be an ISO 8601 timestamp with an offset, like 2026-12-07T21:00:00Z',
      });
      return z.NEVER;
    }
    return stored;
  }),
});

// As the spec says; its types cannot tell that the default is always applied.
const DEFAULT_WEEKS = 8;

const figuresQuerySchema = z.strictObject({
  weeks: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(52, 'must be at most 52')
    .default(DEFAULT_WEEKS),
  team: z.string().max(255).optional(),
});

/**
 * The insights API. Events come only from services (the scaffolder's own credentials,
 * or a static token); figures and metrics need a signed-in user or a service token.
 */
export async function createRouter(options: {
  service: InsightsService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
}): Promise<express.Router> {
  const { service, httpAuth } = options;
  const router = Router();
  // Parsed before the spec's router, which would turn a 413 into a 400.
  router.use(express.json({ limit: '64kb' }));
  router.post('/events', parseRequest('body', eventSchema, 'event'));
  router.get('/figures', parseRequest('query', figuresQuerySchema, 'query'));

  // Validates every request against src/schema/openapi.yaml and types the handlers.
  const api = await createOpenApiRouter(OPEN_API_ROUTER_OPTIONS);
  router.use(api);

  api.post('/events', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service', 'user'],
    });
    if (credentials.principal.type !== 'service') {
      throw new NotAllowedError(
        'Events come from the portal itself or a service token, not from people',
      );
    }
    const event = req.body;
    const key = req.header('idempotency-key');
    if (key !== undefined && key !== event.id) {
      throw new InputError(
        "Invalid event: the Idempotency-Key header and field 'id' differ",
      );
    }
    const { stored } = await service.ingest(event);
    res.status(stored ? 201 : 200).json({ id: event.id, stored });
  });

  api.get('/figures', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { weeks = DEFAULT_WEEKS, team } = req.query;
    res.json(await service.figures({ weeks, team }));
  });

  api.get('/metrics', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const all = await service.figures({ weeks: 1 });
    const perTeam = [{ team: 'all', figures: all }];
    for (const team of all.teams) {
      perTeam.push({
        team,
        figures: await service.figures({ weeks: 1, team }),
      });
    }
    res
      .type('application/openmetrics-text; version=1.0.0; charset=utf-8')
      .send(toOpenMetrics(perTeam));
  });

  router.use(
    databaseOutageHandler({ what: 'Insights', logger: options.logger }),
  );
  // The figures read the catalog and the scorecard, which fail too while PostgreSQL is away.
  router.use(
    serviceOutageHandler({
      what: 'Insights',
      services: 'the catalog or the scorecard',
      logger: options.logger,
    }),
  );
  return router;
}
