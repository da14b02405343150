import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { FileLocationGuardProcessor } from './FileLocationGuardProcessor';
import { FileLocationPolicy } from './fileLocations';
import { ServiceLinksProcessor } from './ServiceLinksProcessor';

type LocationBody = { type?: unknown; target?: unknown };

// `POST /locations` takes the location itself, `POST /analyze-location` wraps it.
function fileTarget(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const location: LocationBody =
    'location' in body && typeof body.location === 'object'
      ? (body.location as LocationBody)
      : (body as LocationBody);
  return location?.type === 'file' && typeof location.target === 'string'
    ? location.target
    : undefined;
}

/**
 * With `pavedRoad.publish.target: local` (the embedded default), golden paths publish
 * to git repositories on the portal host and register them as `file` locations, which
 * the catalog refuses by default. This module allows them there, and only there: a
 * `file` location anywhere but under the local repositories directory and the portal's
 * own catalog folders is refused when registered or dry-run (400), and never read, even
 * when a registered file points at it. In production (GitHub) locations stay `url` only.
 */
export const catalogModulePavedRoad = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-road',
  register(reg) {
    reg.registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        processing: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({
        locations,
        processing,
        config,
        logger,
        httpRouter,
        httpAuth,
      }) {
        const policy = FileLocationPolicy.fromConfig(config);
        processing.addProcessor(new FileLocationGuardProcessor(policy));
        processing.addProcessor(ServiceLinksProcessor.fromConfig(config));
        if (config.getOptionalString('pavedRoad.publish.target') !== 'local') {
          return;
        }
        locations.setAllowedLocationTypes(['url', 'file']);
        // Modules initialize before their plugin, so this runs before the catalog's router.
        const guard = Router();
        guard.post(
          ['/locations', '/analyze-location'],
          express.json({ limit: '100kb' }),
          async (req, _res, next) => {
            const target = fileTarget(req.body);
            if (target !== undefined) {
              await httpAuth.credentials(req);
              const problem = policy.problem(target);
              if (problem) {
                throw new InputError(problem);
              }
            }
            next();
          },
        );
        httpRouter.use(guard);
        logger.info(
          'Allowing file locations under the local repositories directory: golden paths publish to local git repositories',
        );
      },
    });
  },
});
