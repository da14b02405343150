import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { AppRootWrapperBlueprint } from '@backstage/plugin-app-react';
import { TableTextStyles } from './TableTextStyles';

/** `app-root-wrapper:app/table-text`: tables break their text between words only. */
export const tableTextWrapper = AppRootWrapperBlueprint.make({
  name: 'table-text',
  params: { component: TableTextStyles },
});

/** How tables read in the whole portal. */
export const tablesModule = createFrontendModule({
  pluginId: 'app',
  extensions: [tableTextWrapper],
});
