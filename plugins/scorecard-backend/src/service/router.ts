import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  scorecardExemptionApprovePermission,
  scorecardGateCheckPermission,
  scorecardReadPermission,
} from '@internal/plugin-scorecard-common';
import express from 'express';
import {
  CONTROL_CHARACTERS_MESSAGE,
  hasControlCharacters,
} from '@internal/paved-road-common';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseOutageHandler,
  isServiceUnavailable,
  OPEN_API_ROUTER_OPTIONS,
  parseRequest,
  serviceOutageHandler,
} from '@internal/paved-road-node';
import Router from 'express-promise-router';
import { z } from 'zod';
import { createOpenApiRouter } from '../schema/openapi/generated/router';
import { Decision, ExemptionService } from '../scoring/ExemptionService';
import { GateService } from '../scoring/GateService';
import { PreviewService } from '../scoring/PreviewService';
import { parseCallerRef } from '../scoring/refs';
import { ScorecardViewService } from '../scoring/ScorecardViewService';
import { RateLimiter, TooManyRequestsError } from './rateLimit';

// A lone surrogate half reaches either database as U+FFFD: the text would not read back.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

// Characters as the spec (JSON Schema) and PostgreSQL count them: code points, so an
// emoji is one, not two.
const length = (value: string) => [...value].length;

// Text as both databases store it alike: PostgreSQL refuses NUL, SQLite keeps it. Tabs and
// line breaks only where text may span lines.
const text = (field: string, max: number, options?: { multiline?: boolean }) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .refine(
      value => length(value) <= max,
      `${field} must be at most ${max} characters`,
    )
    .refine(
      value => !hasControlCharacters(value, options),
      `${field} ${CONTROL_CHARACTERS_MESSAGE}`,
    )
    .refine(
      value => !LONE_SURROGATE.test(value),
      `${field} must be well-formed Unicode (no lone surrogate halves)`,
    );

const exemptionRequestSchema = z.strictObject({
  entityRef: text('entityRef', 255),
  ruleId: text('ruleId', 63),
  reason: text('reason', 2000, { multiline: true }).refine(
    reason => length(reason) >= 10,
    'reason must say why in at least 10 characters',
  ),
  expiresAt: text('expiresAt', 40),
  riskSignoff: text('riskSignoff', 255),
});

const decisionSchema = z.strictObject({
  comment: text('comment', 2000, { multiline: true }).optional(),
});

const trendQuerySchema = z.strictObject({
  owner: text('owner', 255).optional(),
});

// One owner arrives as a string, several as an array.
const ownedQuerySchema = z.strictObject({
  owner: z
    .union([text('owner', 255), z.array(text('owner', 255))], {
      error: 'owner must be an entity reference',
    })
    .transform(owner => (Array.isArray(owner) ? owner : [owner]))
    .refine(owners => owners.length >= 1, 'owner is required')
    .refine(
      owners => owners.length <= 20,
      'owner may be given at most 20 times',
    ),
});

const exemptionQuerySchema = z.strictObject({
  entityRef: text('entityRef', 255).optional(),
  status: z
    .enum(['requested', 'approved', 'rejected', 'revoked', 'expired'])
    .optional(),
});

type Request = Parameters<HttpAuthService['credentials']>[0];

const RETRY = `try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds`;

function refFromPath(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  const { kind, namespace, name } = params;
  return parseCallerRef(`${kind}:${namespace}/${name}`, 'entity reference');
}

/**
 * The scorecard's HTTP API. Every route needs a signed-in user or a service token (the
 * plugin keeps the default auth policy) and a permission.
 */
export async function createRouter(options: {
  views: ScorecardViewService;
  gate: GateService;
  exemptions: ExemptionService;
  previews: PreviewService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Where outages are reported. */
  logger?: LoggerService;
  /** How many impact previews one caller may ask for per minute. */
  previewsPerMinute: number;
}): Promise<express.Router> {
  const { views, gate, exemptions, previews } = options;
  const { httpAuth, permissions, auditor, logger } = options;
  const router = Router();
  // A proposed rule is a few hundred bytes; nothing else here takes more than a reason.
  // Parsed before the spec's router, which would turn a 413 into a 400.
  const json = express.json({ limit: '100kb' });
  const previewJson = express.json({ limit: '16kb' });
  router.use((req, res, next) =>
    (req.path === '/preview' ? previewJson : json)(req, res, next),
  );
  router.get('/trend', parseRequest('query', trendQuerySchema, 'query'));
  router.get('/entities', parseRequest('query', ownedQuerySchema, 'query'));
  router.get(
    '/exemptions',
    parseRequest('query', exemptionQuerySchema, 'query'),
  );
  router.post(
    '/exemptions',
    parseRequest('body', exemptionRequestSchema, 'exemption request'),
  );
  router.post(
    '/exemptions/:id/:action(approve|reject|revoke)',
    parseRequest('body', decisionSchema, 'decision'),
  );
  router.post('/preview', (req, _res, next) => {
    const rule: unknown = req.body?.rule;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      throw new InputError(
        "Invalid preview request: field 'rule' is required, shaped like an entry of scorecard.rules",
      );
    }
    next();
  });

  // Validates every request against src/schema/openapi.yaml and types the handlers.
  const api = await createOpenApiRouter(OPEN_API_ROUTER_OPTIONS);
  router.use(api);
  const previewLimit = RateLimiter.create({
    perMinute: options.previewsPerMinute,
  });

  async function authorize(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `This needs the permission ${permission.name}, which you do not have`,
      );
    }
    return credentials;
  }

  async function asUser(req: Request, permission: BasicPermission) {
    await authorize(req, permission);
    return httpAuth.credentials(req, { allow: ['user'] });
  }

  api.get('/rules', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    res.json(views.rules());
  });

  api.get('/overview', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    res.json(await views.overview());
  });

  api.get('/levels', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    res.json(await views.levels());
  });

  api.get('/trend', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const { owner } = req.query;
    res.json(
      await views.trend(owner ? parseCallerRef(owner, 'owner') : undefined),
    );
  });

  api.get('/entities', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const owners = ([] as string[]).concat(req.query.owner);
    res.json(
      await views.ownedEntities(
        owners.map(owner => parseCallerRef(owner, 'owner')),
      ),
    );
  });

  api.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await authorize(req, scorecardReadPermission);
    const entityRef = refFromPath(req.params);
    if (req.query.refresh === 'true') {
      await views.refresh(entityRef, credentials);
    }
    res.json(
      await views.entityScorecard(entityRef, credentials, {
        history: req.query.history === 'true',
      }),
    );
  });

  api.get('/gate/:kind/:namespace/:name', async (req, res) => {
    await authorize(req, scorecardGateCheckPermission);
    const entityRef = refFromPath(req.params);
    const event = await auditor.createEvent({
      eventId: 'gate-check',
      request: req,
      meta: { entityRef },
    });
    try {
      const answer = await gate.gate(entityRef);
      await event.success({
        meta: {
          result: answer.result,
          violations: answer.violations.map(v => v.ruleId),
          ...(answer.degraded && { degraded: answer.degraded.reason }),
        },
      });
      res.json(answer);
    } catch (error) {
      await event.fail({ error: error as Error });
      if (!isServiceUnavailable(error)) {
        throw error;
      }
      // scorecard.gate.onOutage is fail: no answer is given rather than a wrong one.
      logger?.warn(`Deploy gate cannot decide on ${entityRef}: ${error}`);
      res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      throw new ServiceUnavailableError(
        `The deploy gate cannot decide on ${entityRef} now: the scorecard cannot reach its database or the catalog; ${RETRY}`,
      );
    }
  });

  api.get('/exemptions', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    const query = req.query;
    const items = await exemptions.list({
      entityRef: query.entityRef
        ? parseCallerRef(query.entityRef, 'entityRef')
        : undefined,
      status: query.status,
    });
    res.json({ items });
  });

  api.get('/exemptions/:id', async (req, res) => {
    await authorize(req, scorecardReadPermission);
    res.json(await exemptions.get(req.params.id));
  });

  api.post('/exemptions', async (req, res) => {
    const credentials = await asUser(req, scorecardReadPermission);
    const body = req.body;
    const event = await auditor.createEvent({
      eventId: 'exemption-request',
      severityLevel: 'medium',
      request: req,
      meta: {
        entityRef: body.entityRef,
        ruleId: body.ruleId,
        expiresAt: body.expiresAt,
      },
    });
    try {
      const exemption = await exemptions.request(
        body,
        credentials.principal.userEntityRef,
        credentials,
      );
      await event.success({ meta: { exemptionId: exemption.id } });
      res.status(201).json(exemption);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  const decisions = {
    approve: (id: string, d: Decision) => exemptions.approve(id, d),
    reject: (id: string, d: Decision) => exemptions.reject(id, d),
    revoke: (id: string, d: Decision) => exemptions.revoke(id, d),
  };
  for (const action of ['approve', 'reject', 'revoke'] as const) {
    const decide = decisions[action];
    api.post(`/exemptions/:id/${action}`, async (req, res) => {
      const event = await auditor.createEvent({
        eventId: 'exemption-decision',
        severityLevel: action === 'approve' ? 'high' : 'medium',
        request: req,
        meta: { action, exemptionId: req.params.id },
      });
      try {
        const credentials = await asUser(
          req,
          scorecardExemptionApprovePermission,
        );
        const exemption = await decide(req.params.id, {
          by: credentials.principal.userEntityRef,
          comment: req.body.comment,
        });
        await event.success({
          meta: {
            entityRef: exemption.entityRef,
            ruleId: exemption.ruleId,
            status: exemption.status,
          },
        });
        res.json(exemption);
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    });
  }

  api.post('/preview', async (req, res) => {
    const credentials = await authorize(req, scorecardReadPermission);
    const { principal } = credentials;
    try {
      previewLimit.take(
        'userEntityRef' in principal
          ? principal.userEntityRef
          : principal.subject,
        'impact previews',
      );
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    res.json(await previews.preview(req.body.rule, credentials));
  });

  router.use(databaseOutageHandler({ what: 'The scorecard', logger }));
  // The catalog (and the permission service) fail too while PostgreSQL is away.
  router.use(
    serviceOutageHandler({
      what: 'The scorecard',
      services: 'the catalog',
      logger,
    }),
  );
  return router;
}
