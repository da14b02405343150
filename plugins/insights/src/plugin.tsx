import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import ShowChartIcon from '@material-ui/icons/ShowChart';
import { InsightsClient, insightsApiRef } from './api';
import { rootRouteRef } from './routes';

/** `api:insights` */
export const insightsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: insightsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        InsightsClient.create({ discoveryApi, fetchApi }),
    }),
});

/** `page:insights` at /insights; its icon and route ref put it in the sidebar. */
export const insightsPage = PageBlueprint.make({
  params: {
    path: '/insights',
    title: 'Insights',
    icon: <ShowChartIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/InsightsPage').then(m => <m.InsightsPage />),
  },
});

export const insightsPlugin = createFrontendPlugin({
  pluginId: 'insights',
  title: 'Insights',
  icon: <ShowChartIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [insightsApi, insightsPage],
});
