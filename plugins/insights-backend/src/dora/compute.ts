import { WeeklyFigure } from '@internal/plugin-insights-common';
import { percentile } from '../figures/compute';
import { lastWeeks, Week } from '../figures/weeks';
import {
  changeFailureRateBand,
  deploymentFrequencyBand,
  DoraBand,
  timeToRestoreBand,
} from './bands';
import {
  classifyFailures,
  deduplicate,
  DeploymentFact,
  DoraWindows,
  IncidentFact,
  RevertFact,
} from './deployments';

const HOUR_MS = 60 * 60 * 1000;
/** Deployment frequency's band is read over this many weeks, so one quiet week is not "low". */
const FREQUENCY_WEEKS = 4;

export interface DoraInput {
  now: Date;
  weeks: number;
  /** Only this team's services, when given. */
  team?: string;
  /** Only this service, when given (the service card). */
  service?: string;
  /** Catalog services and their teams (`spec.owner` as a group ref). */
  services: Array<{ name: string; team?: string }>;
  deployments: DeploymentFact[];
  incidents: IncidentFact[];
  reverts: RevertFact[];
  windows: DoraWindows;
}

/** The four keys' three measured here, for one ISO week. */
export interface DoraWeek {
  week: string;
  start: string;
  /** Deployments that week, counted once across sources. */
  deployments: WeeklyFigure;
  /** Failed deployments over deployments (0..1); absent in a week with no deployment. */
  changeFailureRate: WeeklyFigure;
  /** Median (p50) hours from an incident's trigger to its resolution, of those resolved that week. */
  timeToRestoreHours: WeeklyFigure;
  bands: {
    deploymentFrequency: DoraBand;
    changeFailureRate?: DoraBand;
    timeToRestore?: DoraBand;
  };
}

type Sample = { value?: number; count: number };

function figure(now: Sample, before: Sample): WeeklyFigure {
  return {
    ...(now.value !== undefined && { value: now.value }),
    ...(before.value !== undefined && { previous: before.value }),
    ...(now.value !== undefined &&
      before.value !== undefined && { delta: now.value - before.value }),
    count: now.count,
  };
}

function inWeek(ms: number, week: Week): boolean {
  return ms >= week.startMs && ms < week.endMs;
}

/** Deployment frequency, change failure rate and time to restore per ISO week, oldest first. */
export function computeDora(input: DoraInput): DoraWeek[] {
  const teamOf = new Map(input.services.map(s => [s.name, s.team]));
  const counts = (service: string) =>
    (!input.service || service === input.service) &&
    (!input.team || teamOf.get(service) === input.team);

  // Failures are classified over every service's history first: a rollback or an
  // incident in the next week still fails a deployment at the end of this one.
  const deployments = classifyFailures(
    deduplicate(input.deployments, input.windows),
    input.incidents,
    input.reverts,
    input.windows,
  ).filter(d => counts(d.service));
  const incidents = input.incidents.filter(i => counts(i.service));

  // The week before the first shown (for its delta) and the weeks the band looks back on.
  const extra = FREQUENCY_WEEKS;
  const weeks = lastWeeks(input.now, input.weeks + extra);
  const samples = weeks.map(week => {
    const ofWeek = deployments.filter(d => inWeek(d.deployedAtMs, week));
    const failed = ofWeek.filter(d => d.failures.length > 0).length;
    const restores = incidents.flatMap(i => {
      if (!i.resolvedAt || !inWeek(Date.parse(i.resolvedAt), week)) {
        return [];
      }
      return [(Date.parse(i.resolvedAt) - Date.parse(i.triggeredAt)) / HOUR_MS];
    });
    return {
      week,
      deployments: { value: ofWeek.length, count: ofWeek.length },
      failureRate:
        ofWeek.length === 0
          ? { count: 0 }
          : { value: failed / ofWeek.length, count: ofWeek.length },
      restore:
        restores.length === 0
          ? { count: 0 }
          : { value: percentile(restores, 50), count: restores.length },
    };
  });

  return samples.slice(extra).map((s, i) => {
    const before = samples[extra + i - 1];
    const trailing = samples.slice(
      extra + i - FREQUENCY_WEEKS + 1,
      extra + i + 1,
    );
    const perWeek =
      trailing.reduce((sum, t) => sum + t.deployments.count, 0) /
      FREQUENCY_WEEKS;
    return {
      week: s.week.id,
      start: s.week.start,
      deployments: figure(s.deployments, before.deployments),
      changeFailureRate: figure(s.failureRate, before.failureRate),
      timeToRestoreHours: figure(s.restore, before.restore),
      bands: {
        deploymentFrequency: deploymentFrequencyBand(perWeek),
        ...(s.failureRate.value !== undefined && {
          changeFailureRate: changeFailureRateBand(s.failureRate.value),
        }),
        ...(s.restore.value !== undefined && {
          timeToRestore: timeToRestoreBand(s.restore.value),
        }),
      },
    };
  });
}
