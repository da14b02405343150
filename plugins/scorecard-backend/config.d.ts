import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Scorecards: the guardrails every service is held to. Changed by pull request. */
  scorecard?: {
    /**
     * The rules. Without this key the built-in baseline applies: valid owner, lifecycle,
     * system, on-call, cost center, runbook, SLO, GitHub slug and Argo CD app.
     */
    rules?: Array<{
      /** Stable id, used by levels, exemptions and the deploy gate. */
      id: string;
      title: string;
      description?: string;
      /** What to do to pass, shown next to a failing result. */
      howToFix: string;
      /** Which entities the rule applies to; all when left out. */
      appliesTo?: { kind?: string[]; type?: string[] };
      /**
       * annotationPresent, annotationMatches, specField, linkPresent, relationResolves, or a
       * kind a backend module adds through scorecardRuleKindsExtensionPoint.
       */
      kind: string;
      /** Parameters of the rule kind, e.g. { annotation: 'cost-center' }. */
      params?: { [key: string]: unknown };
    }>;
    /** Levels from lowest to highest, each a set of rule ids. Defaults to bronze, silver, gold. */
    levels?: Array<{ id: string; title?: string; rules: string[] }>;
    /** The longest an exemption may last, in days. Defaults to 90. */
    exemptionMaxDays?: number;
    /** How many days of daily history to keep. Defaults to 90. */
    historyDays?: number;
    /** The impact preview (`POST /api/scorecard/preview`). */
    preview?: {
      /**
       * How many previews one user may ask for per minute, on each replica; more answer
       * 429 with Retry-After. Defaults to 10.
       */
      perMinute?: number;
    };
    /** The deploy gate. */
    gate?: {
      /** The level an entity must reach to deploy. Defaults to the highest level. */
      level?: string;
      /**
       * What the gate answers while it cannot decide because its database (or the
       * catalog) cannot be reached. `fail` (the default, closed): 503 with Retry-After,
       * which CI and the Argo CD PreSync job retry for a while and then treat as a
       * failure. `pass` (open): a pass marked `degraded`, logged and audited, so deploys
       * go out unchecked during the outage.
       *
       * @visibility backend
       */
      onOutage?: 'fail' | 'pass';
    };
    /**
     * When the whole catalog is evaluated. Defaults to every 2 minutes, 15 seconds after
     * startup; one replica runs each sweep.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
  };
}
