import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  oktaAuthenticator,
  oktaSignInResolvers,
} from '@backstage/plugin-auth-backend-module-okta-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { emailMatchingCatalogUserInAllowedDomains } from './resolvers';

/**
 * The Okta provider with our strict resolver beside the upstream Okta ones. The common
 * resolvers (`emailMatchingUserEntityProfileEmail`, ...) are left out on purpose: they
 * have no required domain list. Same module id as the upstream Okta module, so the two
 * cannot be installed together.
 */
export const authModuleOktaProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'okta-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'okta',
          factory: createOAuthProviderFactory({
            authenticator: oktaAuthenticator,
            signInResolverFactories: {
              ...oktaSignInResolvers,
              emailMatchingCatalogUserInAllowedDomains,
            },
          }),
        });
      },
    });
  },
});
