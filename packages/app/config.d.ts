export interface Config {
  portal?: {
    signIn?: {
      /**
       * Sign-in methods offered on the sign-in page, in order: guest, okta, github.
       * The backend must have the matching auth provider configured.
       * @visibility frontend
       */
      providers?: string[];
    };
  };
}
