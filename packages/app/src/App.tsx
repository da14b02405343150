import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import homePlugin from '@backstage/plugin-home/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import insightsPlugin from '@internal/plugin-insights';
import scorecardPlugin from '@internal/plugin-scorecard';
import { homeModule } from './modules/home';
import { portalModule } from './modules/portal';
import { repositoriesModule } from './modules/repositories';
import { scaffolderFieldsModule } from './modules/scaffolderFields';
import { selfServiceModule } from './modules/selfService';
import { tablesModule } from './modules/tables';

export default createApp({
  features: [
    homePlugin,
    catalogPlugin,
    scaffolderPlugin,
    kubernetesPlugin,
    orgPlugin,
    userSettingsPlugin,
    scorecardPlugin,
    insightsPlugin,
    notificationsPlugin,
    signalsPlugin,
    homeModule,
    portalModule,
    selfServiceModule,
    scaffolderFieldsModule,
    repositoriesModule,
    tablesModule,
  ],
});
