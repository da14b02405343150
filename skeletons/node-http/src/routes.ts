// The service's own endpoints; /healthz, /readyz and /metrics are served by http.ts.
import type { Route } from './http.ts';
import { SERVICE_DESCRIPTION, SERVICE_NAME } from './service.ts';

export function createRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      handler: () => ({
        status: 200,
        body: { service: SERVICE_NAME, description: SERVICE_DESCRIPTION },
      }),
    },
  ];
}
