import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { routeLibraryOutput } from './routeLibraryOutput';

const libraryOutputServiceRef = createServiceRef<void>({
  id: 'pavedRoad.libraryOutput',
  scope: 'root',
});

/**
 * In production, where the logger writes JSON, lines that libraries print themselves go
 * through it too (see routeLibraryOutput). Root services start before any plugin, so
 * this is in place before the first migration runs. Development keeps the plain console.
 */
export default createServiceFactory({
  service: libraryOutputServiceRef,
  deps: { rootLogger: coreServices.rootLogger },
  factory({ rootLogger }) {
    if (process.env.NODE_ENV === 'production') {
      routeLibraryOutput(rootLogger);
    }
  },
});
