import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  NavContentBlueprint,
  SignInPageBlueprint,
} from '@backstage/plugin-app-react';
import { PortalNav } from './PortalNav';

/** Our own face on the app: the sign-in page and the sidebar. */
export const portalModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () =>
          (await import('./PortalSignInPage')).PortalSignInPage,
      },
    }),
    NavContentBlueprint.make({
      params: { component: PortalNav },
    }),
  ],
});
