import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AssessmentIcon from '@material-ui/icons/Assessment';
import { ScorecardClient, scorecardApiRef } from './api';
import { rootRouteRef } from './routes';

// Rules are written for components (services, websites, libraries).
const componentsOnly = { kind: 'component' };

/** `api:scorecard` */
export const scorecardApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: scorecardApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        ScorecardClient.create({ discoveryApi, fetchApi }),
    }),
});

/** `entity-card:scorecard`, on the overview of components. */
export const scorecardEntityCard = EntityCardBlueprint.make({
  params: {
    // Beside About, where it is seen without scrolling.
    type: 'info',
    filter: componentsOnly,
    loader: () =>
      import('./components/EntityScorecardCard').then(m => (
        <m.EntityScorecardCard />
      )),
  },
});

/** `entity-content:scorecard`, the Scorecard tab of components. */
export const scorecardEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/scorecard',
    title: 'Scorecard',
    filter: componentsOnly,
    loader: () =>
      import('./components/EntityScorecardContent').then(m => (
        <m.EntityScorecardContent />
      )),
  },
});

/** `page:scorecard` at /scorecards; its icon and route ref put it in the sidebar. */
export const scorecardPage = PageBlueprint.make({
  params: {
    path: '/scorecards',
    title: 'Scorecards',
    icon: <AssessmentIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/ScorecardsPage').then(m => <m.ScorecardsPage />),
  },
});

export const scorecardPlugin = createFrontendPlugin({
  pluginId: 'scorecard',
  title: 'Scorecards',
  icon: <AssessmentIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    scorecardApi,
    scorecardEntityCard,
    scorecardEntityContent,
    scorecardPage,
  ],
});
