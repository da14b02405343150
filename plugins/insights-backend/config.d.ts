export interface Config {
  insights?: {
    /**
     * DORA keys (deployment frequency, change failure rate, time to restore): the sources
     * of deployments and incidents, and the windows. GitHub deployments are read with the
     * `integrations.github` credentials.
     */
    dora?: {
      /**
       * Two reports of one commit of one service this many minutes apart are one
       * deployment. Default 60.
       * @visibility backend
       */
      dedupWindowMinutes?: number;
      /**
       * A rollback, a revert or an incident this many hours after a deployment fails
       * it. Default 24.
       * @visibility backend
       */
      failureWindowHours?: number;
      github?: {
        /**
         * Only deployments to this GitHub environment (e.g. `production`); all when unset.
         * @visibility backend
         */
        environment?: string;
      };
      /** Argo CD sync history of each service's `argocd/app-name` application. */
      argocd?: {
        /**
         * Argo CD's URL, like https://argocd.example.com.
         * @visibility backend
         */
        baseUrl: string;
        /**
         * An Argo CD API token allowed to read applications.
         * @visibility secret
         */
        token: string;
      };
      /** PagerDuty incidents of each service's `pagerduty/service-id`. */
      pagerduty?: {
        /**
         * A PagerDuty REST API v2 read-only token.
         * @visibility secret
         */
        token: string;
      };
    };
  };
}
