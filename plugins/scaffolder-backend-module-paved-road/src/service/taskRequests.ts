import {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { parseInput } from '@internal/paved-road-common';
import { JsonObject, JsonValue } from '@backstage/types';
import express, { ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import {
  ParameterProblem,
  TemplateParameters,
} from '../parameters/templateParameters';

/** The scaffolder's task ids. */
const TASK_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** As generous as the scaffolder's own body parser, for dry runs with their files. */
const BODY_LIMIT = '10mb';

/** A body over {@link BODY_LIMIT}. */
class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/**
 * The JSON body parser's failures, without what it quotes of the body: its messages
 * ("Unexpected token … in JSON") and its error's `body` echo what was sent.
 */
const bodyErrors: ErrorRequestHandler = (error, _req, _res, next) => {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') {
    next(new PayloadTooLargeError(`The request body is over ${BODY_LIMIT}`));
  } else if (typeof type === 'string' && type.startsWith('entity.')) {
    next(new InputError('Malformed request body: it is not valid JSON'));
  } else if (type !== undefined) {
    next(new InputError('Malformed request body'));
  } else {
    next(error);
  }
};

const taskBody = z
  .object({
    templateRef: z.string({
      required_error: 'is required',
      invalid_type_error: 'must be a template reference',
    }),
    values: z.record(z.unknown(), {
      required_error: 'is required',
      invalid_type_error: 'must be an object',
    }),
  })
  .passthrough();

const dryRunBody = z.object({
  template: z.record(z.unknown(), {
    required_error: 'is required',
    invalid_type_error: 'must be a Template entity',
  }),
  values: z.record(z.unknown(), {
    required_error: 'is required',
    invalid_type_error: 'must be an object',
  }),
  secrets: z
    .record(z.string({ invalid_type_error: 'must be a string' }), {
      invalid_type_error: 'must be an object of strings',
    })
    .optional(),
  directoryContents: z.array(
    z.object({
      path: z.string({ required_error: 'is required' }),
      base64Content: z.string({ required_error: 'is required' }),
    }),
    {
      required_error: 'is required',
      invalid_type_error: 'must be a list of files',
    },
  ),
});

function refuse(problems: ParameterProblem[]): InputError {
  return new InputError(
    `Invalid values: ${problems
      .map(p => `field '${p.field}': ${p.message}`)
      .join('; ')}`,
  );
}

/**
 * Middleware in front of the scaffolder's `POST /v2/tasks` and `POST /v2/dry-run`
 * (modules initialize before their plugin, so it runs first). It answers what the
 * scaffolder would answer less usefully: a body that is not JSON or not of the right
 * shape (400, never a 500 or a stack trace, never the body echoed back), values the
 * template's parameters refuse (400 with the template's own `errorMessage`), a new
 * component's name the catalog has already (409), and a task id that is no task id
 * (404, where PostgreSQL would make it a 500). Everything else goes on to the
 * scaffolder unchanged.
 */
export function createTaskRequestsMiddleware(options: {
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { catalog, auth, httpAuth } = options;
  const parameters = TemplateParameters.create();
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }), bodyErrors);

  /** The name a new component would take, when a component has it already. */
  async function takenNames(
    template: JsonObject,
    values: JsonObject,
  ): Promise<ParameterProblem[]> {
    const spec = template.spec as JsonObject;
    const credentials: BackstageCredentials =
      await auth.getOwnServiceCredentials();
    const problems: ParameterProblem[] = [];
    for (const { field, name } of parameters.newComponentNames(
      spec.parameters,
      values,
    )) {
      const entity = await catalog.getEntityByRef(
        { kind: 'component', namespace: 'default', name },
        { credentials },
      );
      if (entity) {
        const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
        problems.push({
          field,
          message: `${stringifyEntityRef(entity)} already exists${
            typeof owner === 'string' ? ` (owned by ${owner})` : ''
          }: choose another name`,
        });
      }
    }
    return problems;
  }

  // PostgreSQL refuses an id that is no UUID, which the scaffolder answers with a 500
  router.use('/v2/tasks/:taskId', (req, _res, next) => {
    if (!TASK_ID.test(req.params.taskId)) {
      throw new NotFoundError(`No task '${req.params.taskId}'`);
    }
    next();
  });

  router.post('/v2/tasks', async (req, _res, next) => {
    const credentials = await httpAuth.credentials(req);
    const body = parseInput(taskBody, req.body, 'request');
    let templateRef: string;
    try {
      templateRef = stringifyEntityRef(
        parseEntityRef(body.templateRef, { defaultKind: 'template' }),
      );
    } catch (error) {
      throw new InputError(
        `Invalid request: field 'templateRef': ${(error as Error).message}`,
      );
    }
    const template = await catalog.getEntityByRef(templateRef, {
      credentials,
    });
    // the scaffolder says what is wrong with a template that is missing or no template
    if (template?.kind.toLocaleLowerCase('en-US') !== 'template') {
      next();
      return;
    }
    const values = body.values as JsonObject;
    const spec = template.spec as JsonObject;
    const problems = parameters.problems(spec.parameters, values);
    if (problems.length > 0) {
      throw refuse(problems);
    }
    const taken = await takenNames(template as unknown as JsonObject, values);
    if (taken.length > 0) {
      throw new ConflictError(refuse(taken).message);
    }
    next();
  });

  router.post('/v2/dry-run', async (req, _res, next) => {
    await httpAuth.credentials(req);
    const body = parseInput(dryRunBody, req.body, 'request');
    let valid = false;
    try {
      valid = await templateEntityV1beta3Validator.check(
        body.template as unknown as Entity,
      );
    } catch (error) {
      throw new InputError(
        `Invalid request: field 'template': not a valid Template (${
          (error as Error).message
        })`,
      );
    }
    if (!valid) {
      throw new InputError(
        "Invalid request: field 'template': not a scaffolder.backstage.io/v1beta3 Template",
      );
    }
    const spec = (body.template.spec ?? {}) as JsonObject;
    const problems = parameters.problems(
      spec.parameters as JsonValue | undefined,
      body.values as JsonObject,
    );
    if (problems.length > 0) {
      throw refuse(problems);
    }
    next();
  });

  return router;
}
