import { createRouteRef } from '@backstage/frontend-plugin-api';

/** `/repositories`: the local repositories' pages. */
export const repositoriesRouteRef = createRouteRef();
