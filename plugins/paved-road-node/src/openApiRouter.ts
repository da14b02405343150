import { createValidatedOpenApiRouterFromGeneratedEndpointMap } from '@backstage/backend-openapi-utils';

/**
 * How our routers use their OpenAPI spec's validator: bodies are parsed, and our own
 * checks have spoken, before it (so a 413 stays a 413 and refusals name the field); the
 * backend's auth policy has checked credentials before any route; a route without a
 * query ignores one, as it always did (routes with a query refuse unknown fields in
 * their own check).
 *
 * @public
 */
export const OPEN_API_ROUTER_OPTIONS: Parameters<
  typeof createValidatedOpenApiRouterFromGeneratedEndpointMap
>[1] = {
  middleware: [(_req, _res, next) => next()],
  validatorOptions: {
    validateSecurity: false,
    validateRequests: {
      coerceTypes: false,
      allowUnknownQueryParameters: true,
    },
  },
};
