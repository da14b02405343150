import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { repositoriesRouteRef } from './routes';

/**
 * `page:scaffolder/repositories` at `/repositories/<owner>/<name>`: the repositories a
 * golden path created on this portal's host (`pavedRoad.publish.target: local`), read
 * only: files, branches, and a branch's changes. No sidebar entry: tasks and services
 * link here.
 */
export const repositoriesPage = PageBlueprint.make({
  name: 'repositories',
  params: {
    path: '/repositories',
    title: 'Repositories',
    // the page has a header of its own, naming the repository
    noHeader: true,
    routeRef: repositoriesRouteRef,
    loader: () => import('./RepositoryPage').then(m => <m.RepositoryRoutes />),
  },
});

/** The local repositories, browsable in the portal. */
export const repositoriesModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [repositoriesPage],
});
