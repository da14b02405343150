import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';

/**
 * `entity-card:scaffolder/self-service`: on a component's overview, the self-service
 * templates (database, queue, bucket, secret rotation), each opened with the component
 * already picked.
 */
export const selfServiceEntityCard = EntityCardBlueprint.make({
  name: 'self-service',
  params: {
    type: 'info',
    filter: { kind: 'component' },
    loader: () => import('./SelfServiceCard').then(m => <m.SelfServiceCard />),
  },
});

/** The self-service templates, offered where a developer looks at a service. */
export const selfServiceModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [selfServiceEntityCard],
});
