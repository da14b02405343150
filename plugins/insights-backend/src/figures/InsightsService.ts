import {
  FiguresResponse,
  InsightsEvent,
  WeekFigures,
} from '@internal/plugin-insights-common';
import { InsightsStore } from '../database/InsightsStore';
import { GithubReader } from '../github/GithubReader';
import { LocalMerges } from '../sources/LocalMerges';
import { PortalSources } from '../sources/PortalSources';
import { teamRef } from '../sources/teamRef';
import { computeFigures, repoSlugOf } from './compute';
import { lastWeeks } from './weeks';

const EVENT_NAMES = ['scaffold.completed', 'infra.requested', 'infra.merged'];

/** Ingesting events and computing the weekly figures; no HTTP here. */
export class InsightsService {
  constructor(
    private readonly store: InsightsStore,
    private readonly sources: PortalSources,
    private readonly github: GithubReader,
    private readonly localMerges: LocalMerges = new LocalMerges(undefined),
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores the event once; the team is its `owner` attribute, as a group ref. */
  async ingest(event: InsightsEvent): Promise<{ stored: boolean }> {
    const owner = event.attributes.owner;
    const team = typeof owner === 'string' ? teamRef(owner) : undefined;
    const stored = await this.store.insertEvent(
      event,
      team,
      this.now().toISOString(),
    );
    return { stored };
  }

  async figures(options: {
    weeks: number;
    team?: string;
  }): Promise<FiguresResponse> {
    const now = this.now();
    const team = options.team ? teamRef(options.team) : undefined;
    // The week before the first one shown is read too, for its delta.
    const since = new Date(lastWeeks(now, options.weeks + 1)[0].startMs);
    const [events, scorecard] = await Promise.all([
      this.store.events(EVENT_NAMES, since.toISOString()),
      this.sources.scorecard(team),
    ]);
    const services = await this.sources.services(scorecard.levels);

    const scaffolds = events.filter(
      e => e.name === 'scaffold.completed' && (!team || e.team === team),
    );
    const repos = [
      ...new Set(scaffolds.map(repoSlugOf).filter((r): r is string => !!r)),
    ];
    const pullRequestUrls = events
      .filter(e => e.name === 'infra.requested')
      .map(e => e.attributes.pullRequestUrl)
      .filter((u): u is string => typeof u === 'string');
    const github = await this.github.read({
      repos,
      pullRequestUrls,
      since,
      now,
    });
    // On the embedded defaults infra requests are branches of local repositories.
    const mergedAt = await this.localMerges.mergedAt(pullRequestUrls);

    const weeks: WeekFigures[] = computeFigures({
      now,
      weeks: options.weeks,
      team,
      events,
      services,
      compliantLevel: scorecard.compliantLevel ?? 'gold',
      coverage: scorecard.coverage,
      github: this.github.configured() ? github.facts : undefined,
      mergedAt,
    });
    const teams = [
      ...new Set(
        [...services.map(s => s.team), ...events.map(e => e.team)].filter(
          (t): t is string => !!t,
        ),
      ),
    ].sort();
    return {
      ...(team && { team }),
      teams,
      weeks,
      github: {
        configured: this.github.configured(),
        complete: github.complete,
        ...(github.problem && { problem: github.problem }),
      },
    };
  }
}
