import { WeekFigures, WeeklyFigure } from '@internal/plugin-insights-common';
import { StoredEvent } from '../database/InsightsStore';
import { lastWeeks, Week } from './weeks';

const HOUR_MS = 60 * 60 * 1000;

/** A catalog service as the figures see it. */
export interface ServiceFact {
  /** Its catalog name. */
  name: string;
  team?: string;
  /** Has `backstage.io/source-template`: created through the portal. */
  viaPortal: boolean;
  /** Its scorecard level now, and on its first evaluated day. */
  level?: string;
  firstLevel?: string;
}

/** What was read from GitHub; every time an ISO timestamp. */
export interface GithubFacts {
  /** Repository slug (owner/name, lower case) to when its first pull request was opened. */
  firstPullRequestAt: Record<string, string | undefined>;
  /** Pull request URL to when it was merged. */
  mergedAt: Record<string, string | undefined>;
  /** Merged pull requests of portal services, with the first successful deployment after. */
  merges: Array<{ repo: string; mergedAt: string; deployedAt?: string }>;
}

export interface FiguresInput {
  now: Date;
  weeks: number;
  /** Only this team's services and events, when given. */
  team?: string;
  /** scaffold.completed, infra.requested and infra.merged events. */
  events: StoredEvent[];
  services: ServiceFact[];
  /** The level that counts as compliant (the scorecard's highest). */
  compliantLevel: string;
  /** Scorecard coverage per day (0..1) and how many entities it covers. */
  coverage: Array<{ day: string; coverage: number; entities: number }>;
  github?: GithubFacts;
  /** Infra request pull request URL to when it was merged, read without GitHub (local git). */
  mergedAt?: Record<string, string | undefined>;
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

type Sample = { value?: number; count: number };

const none: Sample = { count: 0 };

function median(values: number[]): Sample {
  return values.length === 0
    ? none
    : { value: percentile(values, 50), count: values.length };
}

function share(part: number, whole: number): Sample {
  return whole === 0 ? none : { value: part / whole, count: whole };
}

function within(time: string | undefined, week: Week): boolean {
  if (!time) {
    return false;
  }
  const t = Date.parse(time);
  return t >= week.startMs && t < week.endMs;
}

/** The slug (owner/name, lower case) of a repository named by an event, if any. */
export function repoSlugOf(event: StoredEvent): string | undefined {
  const { repoSlug, repoUrl } = event.attributes;
  if (typeof repoSlug === 'string' && /^[\w.-]+\/[\w.-]+$/.test(repoSlug)) {
    return repoSlug.toLowerCase();
  }
  if (typeof repoUrl === 'string') {
    // The scaffolder's RepoUrlPicker form: github.com?owner=o&repo=r
    const query = repoUrl.slice(repoUrl.indexOf('?') + 1);
    const params = new URLSearchParams(query);
    const owner = params.get('owner');
    const repo = params.get('repo');
    if (owner && repo) {
      return `${owner}/${repo}`.toLowerCase();
    }
  }
  return undefined;
}

/**
 * The weekly figures, oldest week first, each with the week before it for the delta.
 * Pure: everything it needs arrives in `input`.
 */
export function computeFigures(input: FiguresInput): WeekFigures[] {
  const { team, compliantLevel } = input;
  const events = input.events.filter(e => !team || e.team === team);
  const services = input.services.filter(s => !team || s.team === team);
  const scaffolds = events.filter(e => e.name === 'scaffold.completed');
  const created = new Map<string, number>();
  for (const event of scaffolds) {
    if (!created.has(event.service)) {
      created.set(event.service, Date.parse(event.occurredAt));
    }
  }
  const byName = new Map(services.map(s => [s.name, s]));

  // One more week than asked, so the first one shown has a delta too.
  const weeks = lastWeeks(input.now, input.weeks + 1);

  const samples = weeks.map(week => {
    const ofWeek = scaffolds.filter(e => within(e.occurredAt, week));
    const seconds = ofWeek
      .map(e => e.duration_ms)
      .filter((d): d is number => typeof d === 'number')
      .map(d => d / 1000);

    // Services that existed at the week's end: a portal service from its scaffold on
    // (or always, when it came before the events were kept), any other one always.
    const existing = services.filter(s => {
      const at = created.get(s.name);
      return at === undefined || at < week.endMs;
    });
    const viaPortal = existing.filter(s => s.viaPortal);

    const born = ofWeek
      .map(e => byName.get(e.service))
      .filter((s): s is ServiceFact => s?.firstLevel !== undefined);

    const coverageDays = input.coverage.filter(d =>
      within(`${d.day}T00:00:00Z`, week),
    );
    const lastDay = coverageDays[coverageDays.length - 1];

    const waits = events
      .filter(e => e.name === 'infra.requested')
      .flatMap(request => {
        const url = request.attributes.pullRequestUrl;
        if (typeof url !== 'string') {
          return [];
        }
        const mergedEvent = events.find(
          e => e.name === 'infra.merged' && e.attributes.pullRequestUrl === url,
        );
        const mergedAt =
          mergedEvent?.occurredAt ??
          input.mergedAt?.[url] ??
          input.github?.mergedAt[url];
        return mergedAt && within(mergedAt, week)
          ? [(Date.parse(mergedAt) - Date.parse(request.occurredAt)) / HOUR_MS]
          : [];
      });

    const firstPrs = input.github
      ? ofWeek.flatMap(event => {
          const slug = repoSlugOf(event);
          const openedAt = slug
            ? input.github!.firstPullRequestAt[slug]
            : undefined;
          return openedAt
            ? [(Date.parse(openedAt) - Date.parse(event.occurredAt)) / HOUR_MS]
            : [];
        })
      : [];

    const teamRepos = new Set(
      scaffolds.map(repoSlugOf).filter((s): s is string => !!s),
    );
    const leads = (input.github?.merges ?? [])
      .filter(m => (!team || teamRepos.has(m.repo)) && within(m.mergedAt, week))
      .flatMap(m =>
        m.deployedAt
          ? [(Date.parse(m.deployedAt) - Date.parse(m.mergedAt)) / HOUR_MS]
          : [],
      );

    return {
      week,
      scaffolds: { value: ofWeek.length, count: ofWeek.length },
      p50:
        seconds.length === 0
          ? none
          : { value: percentile(seconds, 50), count: seconds.length },
      p95:
        seconds.length === 0
          ? none
          : { value: percentile(seconds, 95), count: seconds.length },
      createdThroughPortal: share(viaPortal.length, existing.length),
      bornCompliant: share(
        born.filter(s => s.firstLevel === compliantLevel).length,
        born.length,
      ),
      stillOnRoad: share(
        viaPortal.filter(s => s.level === compliantLevel).length,
        viaPortal.length,
      ),
      guardrailCoverage: lastDay
        ? { value: lastDay.coverage, count: lastDay.entities }
        : none,
      wait: median(waits),
      firstPr: median(firstPrs),
      lead: median(leads),
    };
  });

  const figure = (now: Sample, before: Sample | undefined): WeeklyFigure => ({
    ...(now.value !== undefined && { value: now.value }),
    ...(before?.value !== undefined && { previous: before.value }),
    ...(now.value !== undefined &&
      before?.value !== undefined && { delta: now.value - before.value }),
    count: now.count,
  });

  return samples.slice(1).map((s, i) => {
    const b = samples[i];
    return {
      week: s.week.id,
      start: s.week.start,
      scaffolds: figure(s.scaffolds, b.scaffolds),
      scaffoldDurationP50: figure(s.p50, b.p50),
      scaffoldDurationP95: figure(s.p95, b.p95),
      createdThroughPortal: figure(
        s.createdThroughPortal,
        b.createdThroughPortal,
      ),
      bornCompliant: figure(s.bornCompliant, b.bornCompliant),
      stillOnRoad: figure(s.stillOnRoad, b.stillOnRoad),
      guardrailCoverage: figure(s.guardrailCoverage, b.guardrailCoverage),
      infraRequestWaitHours: figure(s.wait, b.wait),
      timeToFirstPrHours: figure(s.firstPr, b.firstPr),
      leadTimeHours: figure(s.lead, b.lead),
    };
  });
}
