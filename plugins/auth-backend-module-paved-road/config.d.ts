export interface Config {
  auth?: {
    providers?: {
      okta?: {
        [authEnv: string]: {
          signIn?: {
            resolvers: Array<
              | {
                  /**
                   * Signs in the one catalog User whose spec.profile.email is the Okta
                   * email, when that email is in one of allowedDomains.
                   */
                  resolver: 'emailMatchingCatalogUserInAllowedDomains';
                  /**
                   * Email domains whose people may sign in, compared exactly
                   * (subdomains are not included): a list, or a comma-separated string
                   * such as `${OKTA_ALLOWED_EMAIL_DOMAINS}`.
                   */
                  allowedDomains: string | string[];
                }
              | {
                  resolver: 'emailMatchingUserEntityAnnotation';
                  dangerouslyAllowSignInWithoutUserInCatalog?: boolean;
                }
            >;
          };
        };
      };
    };
  };
}
