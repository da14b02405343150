import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import homePlugin from '@backstage/plugin-home/alpha';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import insightsPlugin, {
  InsightsClient,
  insightsApiRef,
} from '@internal/plugin-insights';
import { ScorecardClient, scorecardApiRef } from '@internal/plugin-scorecard';
import { homeModule } from '../homeModule';
import { backend, BASE_URL, goldenPaths } from './homeBackend';

type ListTasks = (typeof scaffolderApiRef.T)['listTasks'];
type Task = Awaited<ReturnType<ListTasks>>['tasks'][number];

/** The scaffolder, answering `listTasks` with these tasks; the rest is not used here. */
function scaffolder(tasks: Task[]) {
  const listTasks = jest.fn<ReturnType<ListTasks>, Parameters<ListTasks>>(
    async () => ({ tasks, totalTasks: tasks.length }),
  );
  return {
    api: { listTasks } as unknown as typeof scaffolderApiRef.T,
    listTasks,
  };
}

export function task(
  id: string,
  status: Task['status'],
  createdAt: string,
): Task {
  return {
    id,
    status,
    createdAt,
    spec: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      steps: [],
      output: {},
      parameters: { name: `orders-${id}` },
      templateInfo: {
        entityRef: 'template:default/http-service',
        entity: { metadata: { name: 'http-service', title: 'HTTP service' } },
      },
    },
  } as Task;
}

/** The home page at /home, as the app wires it: the home plugin and our module. */
export function renderHome(options: {
  user: { userEntityRef: string; ownershipEntityRefs: string[] };
  platform: boolean;
  tasks?: Task[];
  /** Where the browser starts; /home unless said. */
  path?: string;
}) {
  const server = backend();
  const tasks = scaffolder(options.tasks ?? []);
  const discoveryApi = mockApis.discovery({ baseUrl: BASE_URL });
  const fetchApi = { fetch: server.fetch };
  renderTestApp({
    features: [homePlugin, homeModule],
    initialRouteEntries: [options.path ?? '/home'],
    // As in app-config.yaml: signing in lands on `/`, which leads home.
    config: {
      app: {
        extensions: [
          {
            'app/routes': {
              config: { redirects: [{ from: '/', to: '/home' }] },
            },
          },
        ],
      },
    },
    mountedRoutes: {
      '/create': scaffolderPlugin.routes.root,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/insights': insightsPlugin.routes.root,
    },
    apis: [
      mockApis.identity(options.user),
      // AuthorizeResult is a string enum of @backstage/plugin-permission-common, which
      // the app does not depend on; the permission API answers with its values.
      mockApis.permission({
        authorize: (options.platform ? 'ALLOW' : 'DENY') as never,
      }),
      [catalogApiRef, catalogApiMock({ entities: goldenPaths })],
      [scaffolderApiRef, tasks.api],
      [scorecardApiRef, ScorecardClient.create({ discoveryApi, fetchApi })],
      [insightsApiRef, InsightsClient.create({ discoveryApi, fetchApi })],
    ],
  });
  return { requests: server.requests, listTasks: tasks.listTasks };
}
