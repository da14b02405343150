export interface Config {
  /** Settings of the Paved Road portal; other packages declare their own keys here. */
  pavedRoad?: {
    permissions?: {
      /**
       * Groups whose members are the platform team: they approve scorecard exemptions.
       * Full entity refs; defaults to group:default/platform.
       */
      platformGroups?: string[];
    };
  };
}
