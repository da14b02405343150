export interface Config {
  /** Settings of the Paved Road portal; other packages declare their own keys here. */
  pavedRoad?: {
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
