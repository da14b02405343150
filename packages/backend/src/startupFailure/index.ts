import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { exitOnStartupFailure } from './exitOnStartupFailure';

const startupFailureServiceRef = createServiceRef<void>({
  id: 'pavedRoad.startupFailure',
  scope: 'root',
});

/** A backend whose plugins failed to start exits (see exitOnStartupFailure). */
export default createServiceFactory({
  service: startupFailureServiceRef,
  deps: { logger: coreServices.rootLogger },
  factory({ logger }) {
    exitOnStartupFailure(logger);
  },
});
