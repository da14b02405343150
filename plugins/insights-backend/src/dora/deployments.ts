/** How a source reports a deployment's outcome; anything still running is not reported. */
export type DeploymentStatus = 'success' | 'failure' | 'error';

/** One deployment of a service as one source reported it; times are ISO timestamps. */
export interface DeploymentFact {
  /** The source that reported it: `github`, `argocd`, `portal-gate`, `demo`. */
  source: string;
  /** The catalog name of the service. */
  service: string;
  /** The commit deployed (a full or abbreviated SHA). */
  commit: string;
  deployedAt: string;
  status: DeploymentStatus;
  /** The source itself says it was rolled back (Argo CD's rollback, GitHub's `inactive`). */
  rolledBack?: boolean;
}

/** An incident against a service (PagerDuty). */
export interface IncidentFact {
  id: string;
  service: string;
  triggeredAt: string;
  resolvedAt?: string;
}

/** A commit that reverts an earlier one, pushed to the service's repository. */
export interface RevertFact {
  service: string;
  revertedCommit: string;
  at: string;
}

export interface DoraWindows {
  /** Two reports of one commit of one service this close together are one deployment. */
  dedupMinutes: number;
  /** A revert, a rollback or an incident this long after a deployment fails it. */
  failureHours: number;
}

export const defaultDoraWindows: DoraWindows = {
  dedupMinutes: 60,
  failureHours: 24,
};

export type FailureReason = 'status' | 'rolled-back' | 'reverted' | 'incident';

/** A deployment counted once, whichever sources reported it, and why it failed, if it did. */
export interface Deployment {
  service: string;
  commit: string;
  /** The earliest report of it. */
  deployedAt: string;
  deployedAtMs: number;
  sources: string[];
  failures: FailureReason[];
}

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

/** A full SHA and its abbreviation (7 characters or more) name the same commit. */
export function sameCommit(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x.length < 7 || y.length < 7) {
    return x === y;
  }
  return x.startsWith(y) || y.startsWith(x);
}

/**
 * The deployments counted once: reports of the same service and commit within
 * `dedupMinutes` of the first report are one deployment; it failed when any report
 * says failure or error (a source that saw it fail is believed over one that did not).
 */
export function deduplicate(
  facts: DeploymentFact[],
  windows: DoraWindows,
): Deployment[] {
  const sorted = [...facts].sort(
    (a, b) => Date.parse(a.deployedAt) - Date.parse(b.deployedAt),
  );
  const merged: Array<Deployment & { rolledBack: boolean; bad: boolean }> = [];
  for (const fact of sorted) {
    const at = Date.parse(fact.deployedAt);
    const same = merged.find(
      d =>
        d.service === fact.service &&
        sameCommit(d.commit, fact.commit) &&
        at - d.deployedAtMs <= windows.dedupMinutes * MINUTE_MS,
    );
    const bad = fact.status !== 'success';
    if (same) {
      if (!same.sources.includes(fact.source)) {
        same.sources.push(fact.source);
      }
      same.bad = same.bad || bad;
      same.rolledBack = same.rolledBack || !!fact.rolledBack;
      // Keep the longer SHA, so a later abbreviated report still matches.
      if (fact.commit.length > same.commit.length) {
        same.commit = fact.commit;
      }
    } else {
      merged.push({
        service: fact.service,
        commit: fact.commit,
        deployedAt: new Date(at).toISOString(),
        deployedAtMs: at,
        sources: [fact.source],
        failures: [],
        bad,
        rolledBack: !!fact.rolledBack,
      });
    }
  }
  return merged.map(({ rolledBack, bad, ...d }) => ({
    ...d,
    failures: [
      ...(bad ? ['status' as const] : []),
      ...(rolledBack ? ['rolled-back' as const] : []),
    ],
  }));
}

function addFailure(deployment: Deployment, reason: FailureReason) {
  if (!deployment.failures.includes(reason)) {
    deployment.failures.push(reason);
  }
}

/**
 * Marks the deployments that failed after the fact, within `failureHours`:
 * - rolled back: the next deployment of the service puts back a commit deployed before it;
 * - reverted: a commit reverting the deployed one was pushed;
 * - incident: an incident opened against the service, blamed on its latest deployment
 *   before the incident only (three deployments in the hour before one incident are
 *   one failure, not three).
 * Mutates and returns `deployments`.
 */
export function classifyFailures(
  deployments: Deployment[],
  incidents: IncidentFact[],
  reverts: RevertFact[],
  windows: DoraWindows,
): Deployment[] {
  const window = windows.failureHours * HOUR_MS;
  const byService = new Map<string, Deployment[]>();
  for (const d of deployments) {
    byService.set(d.service, [...(byService.get(d.service) ?? []), d]);
  }
  for (const list of byService.values()) {
    list.sort((a, b) => a.deployedAtMs - b.deployedAtMs);
    for (let i = 1; i + 1 < list.length; i++) {
      const current = list[i];
      const next = list[i + 1];
      const putsBackEarlier = list
        .slice(0, i)
        .some(
          earlier =>
            sameCommit(earlier.commit, next.commit) &&
            !sameCommit(current.commit, next.commit),
        );
      if (
        putsBackEarlier &&
        next.deployedAtMs - current.deployedAtMs <= window
      ) {
        addFailure(current, 'rolled-back');
      }
    }
  }
  for (const revert of reverts) {
    const at = Date.parse(revert.at);
    for (const d of byService.get(revert.service) ?? []) {
      if (
        sameCommit(d.commit, revert.revertedCommit) &&
        at >= d.deployedAtMs &&
        at - d.deployedAtMs <= window
      ) {
        addFailure(d, 'reverted');
      }
    }
  }
  for (const incident of incidents) {
    const at = Date.parse(incident.triggeredAt);
    const before = (byService.get(incident.service) ?? []).filter(
      d => d.deployedAtMs <= at,
    );
    const latest = before[before.length - 1];
    if (latest && at - latest.deployedAtMs <= window) {
      addFailure(latest, 'incident');
    }
  }
  return deployments;
}
