import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { SelfServiceAvailability } from '../selfService/capabilities';

/** The path, under the scaffolder's base URL, of {@link createSelfServiceRouter}. */
export const CAPABILITIES_PATH = '/paved-road/self-service/capabilities';

const validator = makeValidator();

function entityRefParam(value: unknown): string {
  const field = "Invalid request: field 'entityRef'";
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(
      `${field}: is required, like component:default/payments-api`,
    );
  }
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(`${field}: ${(error as Error).message}`);
  }
  if (
    !validator.isValidKind(ref.kind) ||
    !validator.isValidNamespace(ref.namespace) ||
    !validator.isValidEntityName(ref.name)
  ) {
    throw new InputError(
      `${field}: '${value}' is not an entity reference like component:default/payments-api`,
    );
  }
  return stringifyEntityRef(ref);
}

/**
 * `GET <scaffolder>/paved-road/self-service/capabilities?entityRef=...`: which
 * self-service actions work for a service the user can see, each with the sentence
 * saying why not when it does not (the Self-service card and the templates' forms ask).
 */
export function createSelfServiceRouter(options: {
  availability: SelfServiceAvailability;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { availability, catalog, httpAuth } = options;
  const router = Router();
  router.get(CAPABILITIES_PATH, async (req, res) => {
    const entityRef = entityRefParam(req.query.entityRef);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity '${entityRef}' that you can see`);
    }
    res.json({
      entityRef: stringifyEntityRef(entity),
      actions: await availability.forEntity(entity),
    });
  });
  return router;
}
