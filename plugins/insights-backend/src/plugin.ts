import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { InsightsStore } from './database/InsightsStore';
import { InsightsService } from './figures/InsightsService';
import { GithubReader } from './github/GithubReader';
import { LocalMerges } from './sources/LocalMerges';
import { createRouter } from './service/router';
import { PortalSources } from './sources/PortalSources';

/**
 * Portal insights: takes the portal's events, computes weekly figures per team
 * (adoption, scaffold time, compliance, coverage, infra wait, GitHub lead times) and
 * serves them to the Insights page and, as OpenMetrics, to Prometheus.
 *
 * @public
 */
export const insightsPlugin = createBackendPlugin({
  pluginId: 'insights',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        auth,
        httpAuth,
        httpRouter,
        discovery,
        catalog,
      }) {
        const store = await InsightsStore.create({ database });
        const service = new InsightsService(
          store,
          new PortalSources(catalog, discovery, auth),
          GithubReader.fromConfig(config, { store, logger }),
          new LocalMerges(
            config.getOptionalString('pavedRoad.publish.local.directory'),
          ),
        );
        httpRouter.use(await createRouter({ service, httpAuth, logger }));
      },
    });
  },
});
