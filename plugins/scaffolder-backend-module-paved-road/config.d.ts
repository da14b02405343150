export interface Config {
  /**
   * Settings of the Paved Road portal. This package declares what its scaffolder
   * actions read (all of it read and checked once at startup, by `readPavedRoadConfig`);
   * the app declares `signIn`, the permission module `permissions`.
   */
  pavedRoad?: {
    skeletons?: {
      /**
       * Where the golden-path skeletons live: a directory (relative to the backend's
       * working directory) or a URL the backend can read, such as the portal
       * repository's skeletons folder on GitHub. Defaults to `../../skeletons`.
       */
      location?: string;
    };
    argocd?: {
      /**
       * Argo CD's web UI, e.g. `https://argocd.example.com`: a golden path's task links
       * to its Application there. Unset: no Argo CD link anywhere.
       * @visibility frontend
       */
      url?: string;
    };
    publish?: {
      /**
       * Where golden paths publish new repositories: `github` (production; private
       * repositories, default branch main) or `local` (git repositories on the portal
       * host, for the embedded default). Defaults to `github`.
       */
      target?: 'github' | 'local';
      local?: {
        /** Directory of the local repositories, as `<owner>/<repo>`. */
        directory?: string;
      };
    };
    terraform?: {
      /**
       * The Terraform modules templates may call, by name. A template picks a name from
       * this list; it can never give a module source of its own.
       */
      modules?: {
        [name: string]: {
          /** The module source, e.g. `git::https://github.com/acme/tf-modules.git//database?ref=v1.2.0`. */
          source: string;
          /** Version constraint, for registry sources only. */
          version?: string;
          /** What the module creates, shown in errors and docs. */
          description?: string;
        };
      };
      /** `required_version` written to `versions.tf`. Defaults to `>= 1.5.0`. */
      requiredVersion?: string;
    };
    vault?: {
      /**
       * Vault's address, e.g. `https://vault.example.com:8200`: where
       * `vault:secret:rotate` writes new secret versions.
       */
      address: string;
      /** Vault Enterprise namespace, sent as `X-Vault-Namespace`. */
      namespace?: string;
      /** KV v2 mount used when a step names none. Defaults to `secret`. */
      kvMount?: string;
      /**
       * A Vault token whose policy allows reading the metadata of, and writing, the
       * secrets templates rotate. Set this or `kubernetes`, not both.
       * @visibility secret
       */
      token?: string;
      /**
       * Kubernetes auth: the backend logs in with its pod's service account token
       * (`POST /v1/auth/<mountPath>/login`) for each rotation.
       */
      kubernetes?: {
        /** The Vault role bound to the backend's service account. */
        role: string;
        /** Where the Kubernetes auth method is mounted. Defaults to `kubernetes`. */
        mountPath?: string;
        /**
         * The service account token file. Defaults to
         * `/var/run/secrets/kubernetes.io/serviceaccount/token`.
         */
        jwtPath?: string;
      };
      /** Timeout of one Vault request in milliseconds. Defaults to 10000. */
      timeoutMs?: number;
    };
    selfService?: {
      /**
       * Whom developers ask when a self-service action is not set up on this portal,
       * as they would write it: a chat channel such as `#platform`, or a team. Ends the
       * sentences the Self-service card, the forms and the actions show. Defaults to
       * `the platform team`.
       */
      contact?: string;
    };
    events?: {
      /**
       * Where `portal:event:emit` sends events: `portal` (the portal's own insights
       * backend, the default), `endpoint` (the URL below; implied when it is set) or
       * `log` (the backend log only).
       */
      target?: 'portal' | 'endpoint' | 'log';
      /** Where `portal:event:emit` POSTs events (http or https), for target `endpoint`. */
      endpoint?: string;
      /**
       * Bearer token sent with each event.
       * @visibility secret
       */
      token?: string;
      /** Hosts events may be sent to. Defaults to the endpoint's host. */
      allowedHosts?: string[];
      /** Timeout of one attempt in milliseconds. Defaults to 5000. */
      timeoutMs?: number;
      /** Retries after a network error or a 5xx answer. Defaults to 3. */
      retries?: number;
    };
    /** Template upgrades (see the module's README, "Template upgrades"). */
    upgrades?: {
      /**
       * Proposes upgrades on a schedule, for every service behind its template's current
       * version (one replica runs it at a time). Off unless `enabled`.
       */
      schedule?: {
        /** Defaults to false. */
        enabled?: boolean;
        /** How often, e.g. `{ hours: 6 }` or `PT6H`. Defaults to once a day. */
        frequency?: { [unit: string]: number } | string;
        /** New upgrades opened per run, at most (1 to 1000). Defaults to 10. */
        batchSize?: number;
        /** Logs what each run would open and opens nothing. Defaults to false. */
        dryRun?: boolean;
      };
      /**
       * Where the portal's own git repository is, with its history, for a portal that
       * runs without it (a container image built without `.git`): cloned into the
       * backend's working directory at startup (fetched again on each start), and
       * upgrades render old and new skeletons from it. Unset: the skeletons directory
       * must be inside the portal's git repository (the embedded defaults).
       */
      portalRepository?: {
        /**
         * A git URL or path the backend can clone, without a password in it.
         * @visibility backend
         */
        url?: string;
        /** The branch, tag or commit deployed. Defaults to `main`. */
        ref?: string;
      };
    };
  };
}
