import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ClientConfig } from 'pg';
import { acquireStartupLock } from './startupLock';

const startupLockServiceRef = createServiceRef<void>({
  id: 'pavedRoad.startupLock',
  scope: 'root',
});

/**
 * On PostgreSQL, one replica starts at a time (see acquireStartupLock): root services
 * start before any plugin, so the lock is held before the first migration and given up
 * once every plugin has started, or when the process ends.
 */
export default createServiceFactory({
  service: startupLockServiceRef,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.rootLifecycle,
    logger: coreServices.rootLogger,
  },
  async factory({ config, lifecycle, logger }) {
    const database = config.getConfig('backend.database');
    if (database.getString('client') !== 'pg') {
      return;
    }
    const connection = database.get<string | ClientConfig>('connection');
    const lock = await acquireStartupLock({
      connection:
        typeof connection === 'string'
          ? { connectionString: connection }
          : { database: 'postgres', ...connection },
      logger: logger.child({ service: 'startupLock' }),
    });
    lifecycle.addStartupHook(() => lock.release());
    lifecycle.addShutdownHook(() => lock.release());
  },
});
