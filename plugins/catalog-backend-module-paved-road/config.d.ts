export interface Config {
  pavedRoad?: {
    grafana?: {
      /**
       * Grafana's web UI, e.g. `https://grafana.example.org`: the dashboard links of
       * services made by a golden path (`https://grafana.example.com/d/<service>` in the
       * skeletons) lead there. Unset: those links are left out.
       * @visibility frontend
       */
      url?: string;
    };
  };
}
