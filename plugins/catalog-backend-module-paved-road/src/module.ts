import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * With `pavedRoad.publish.target: local` (the embedded default), golden paths publish
 * to git repositories on the portal host and register them as `file` locations, which
 * the catalog refuses by default. This module allows them there, and only there: in
 * production (GitHub) locations stay `url` only, so nobody can make the catalog read
 * files of the portal host.
 */
export const catalogModulePavedRoad = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-road',
  register(reg) {
    reg.registerInit({
      deps: {
        locations: catalogLocationsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ locations, config, logger }) {
        if (config.getOptionalString('pavedRoad.publish.target') === 'local') {
          locations.setAllowedLocationTypes(['url', 'file']);
          logger.info(
            'Allowing file locations: golden paths publish to local git repositories',
          );
        }
      },
    });
  },
});
