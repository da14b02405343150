import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import insightsPlugin from '@internal/plugin-insights';
import scorecardPlugin from '@internal/plugin-scorecard';
import { portalModule } from './modules/portal';
import { scaffolderFieldsModule } from './modules/scaffolderFields';
import { selfServiceModule } from './modules/selfService';
import { tablesModule } from './modules/tables';

export default createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    kubernetesPlugin,
    orgPlugin,
    userSettingsPlugin,
    scorecardPlugin,
    insightsPlugin,
    portalModule,
    selfServiceModule,
    scaffolderFieldsModule,
    tablesModule,
  ],
});
