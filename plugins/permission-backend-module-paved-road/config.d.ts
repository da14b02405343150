export interface Config {
  portal?: {
    permissions?: {
      /**
       * Groups whose members are the platform team: they approve scorecard exemptions.
       * Full entity refs; defaults to group:default/platform.
       */
      platformGroups?: string[];
    };
  };
}
