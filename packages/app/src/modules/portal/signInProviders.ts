import { githubAuthApiRef, oktaAuthApiRef } from '@backstage/core-plugin-api';
import type { SignInProviderConfig } from '@backstage/core-components';

/** The sign-in methods `pavedRoad.signIn.providers` may name. */
export const SIGN_IN_PROVIDERS = {
  guest: 'guest',
  okta: {
    id: 'okta-auth-provider',
    title: 'Okta',
    message: 'Sign in with your company account',
    apiRef: oktaAuthApiRef,
  },
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in with your GitHub account',
    apiRef: githubAuthApiRef,
  },
} as const satisfies Record<string, 'guest' | SignInProviderConfig>;

export type SignInProviderId = keyof typeof SIGN_IN_PROVIDERS;

/**
 * Resolves the configured ids, in order. An unknown id is a configuration mistake that
 * would otherwise leave people without a way in, so it fails loudly.
 */
export function resolveSignInProviders(
  ids: string[] | undefined,
): Array<'guest' | SignInProviderConfig> {
  const wanted = ids && ids.length > 0 ? ids : ['guest'];
  return wanted.map(id => {
    if (!(id in SIGN_IN_PROVIDERS)) {
      throw new Error(
        `Unknown sign-in provider '${id}' in pavedRoad.signIn.providers; use one of ${Object.keys(
          SIGN_IN_PROVIDERS,
        ).join(', ')}`,
      );
    }
    return SIGN_IN_PROVIDERS[id as SignInProviderId];
  });
}
