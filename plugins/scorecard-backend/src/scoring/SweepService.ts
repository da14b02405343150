import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ExemptionStore } from '../database/ExemptionStore';
import { ScorecardStore } from '../database/ScorecardStore';
import { ExemptionReminders } from '../notifications/ExemptionReminders';
import { ScorecardNotifier } from '../notifications/ScorecardNotifier';
import {
  fieldsFor,
  filterFor,
  RuleKinds,
  ScorecardConfig,
  targetKindsOf,
} from '../rules';
import { CatalogEvaluator, PAGE_SIZE } from './CatalogEvaluator';
import { dayOf, daysBefore } from './days';
import { groupByEntity } from './exemptions';
import { LastSweep } from './LastSweep';
import { entityKey } from './refs';
import { scoreEntity, ScoredEntity } from './score';

// Scores are written in batches while the catalog is still being read.
const WRITE_BATCH = 1000;

/**
 * What one sweep did.
 *
 * @public
 */
export interface SweepSummary {
  /** Entities some rule applies to. */
  entities: number;
  /** Entities whose scorecard changed, or was not yet stored today. */
  written: number;
  /** Entities gone from the catalog since the last sweep. */
  removed: number;
  /** Notifications sent: level drops, exemptions expiring or expired. */
  notified?: number;
}

/** A service that reached a lower level than the sweep before. */
interface LevelDrop {
  entityRef: string;
  owner?: string;
  from: string;
  to?: string;
  failing: string[];
}

export interface SweepServiceOptions {
  config: ScorecardConfig;
  kinds: RuleKinds;
  catalog: CatalogService;
  auth: AuthService;
  scores: ScorecardStore;
  exemptions: ExemptionStore;
  evaluator: CatalogEvaluator;
  lastSweep: LastSweep;
  now: () => Date;
  /** Told about level drops; nothing is sent without it. */
  notifier?: ScorecardNotifier;
  /** Run after each sweep: exemptions expiring within a week, or expired. */
  reminders?: ExemptionReminders;
}

/**
 * The scheduled evaluation of the whole catalog: stores what changed, forgets entities
 * gone from the catalog and history older than `historyDays`.
 */
export class SweepService {
  private constructor(private readonly deps: SweepServiceOptions) {}

  static create(options: SweepServiceOptions): SweepService {
    return new SweepService(options);
  }

  /**
   * Evaluates every entity the rules apply to and stores what changed: reads the catalog
   * page by page, asking only for the fields the rules need.
   */
  async sweep(): Promise<SweepSummary> {
    const { config, kinds, catalog, auth, scores, evaluator } = this.deps;
    const started = this.deps.now();
    const startedMs = Date.now();
    const day = dayOf(started);
    const evaluatedAt = started.toISOString();
    const { rules, levels } = config;
    const credentials = await auth.getOwnServiceCredentials();

    const index = await scores.latestIndex();
    const existing = await evaluator.existingEntities(
      targetKindsOf(rules, kinds),
      credentials,
    );
    const exemptions = groupByEntity(
      await this.deps.exemptions.running(evaluatedAt),
    );
    const context = { entityExists: (ref: string) => existing.has(ref) };

    const seen = new Set<string>();
    const drops: LevelDrop[] = [];
    const rank = (level?: string) => levels.findIndex(l => l.id === level);
    let pending: ScoredEntity[] = [];
    let written = 0;
    for await (const page of catalog.streamEntities(
      {
        filter: filterFor(rules),
        fields: fieldsFor(rules, kinds),
        pageSize: PAGE_SIZE,
      },
      { credentials },
    )) {
      for (const entity of page) {
        const score = scoreEntity({
          entity,
          rules,
          kinds,
          levels,
          context,
          exemptions: exemptions.get(entityKey(entity)) ?? [],
          now: started,
        });
        if (score.results.length === 0 || seen.has(score.entityRef)) {
          continue;
        }
        seen.add(score.entityRef);
        const stored = index.get(score.entityRef);
        if (
          stored?.fingerprint !== score.fingerprint ||
          stored.historyDay !== day
        ) {
          pending.push(score);
        }
        if (stored?.level && rank(score.level) < rank(stored.level)) {
          drops.push({
            entityRef: score.entityRef,
            owner: score.owner,
            from: stored.level,
            to: score.level,
            failing: Object.keys(score.outcomes).filter(
              ruleId => score.outcomes[ruleId] === 'fail',
            ),
          });
        }
      }
      if (pending.length >= WRITE_BATCH) {
        await scores.writeScores(pending, day, evaluatedAt);
        written += pending.length;
        pending = [];
      }
    }
    await scores.writeScores(pending, day, evaluatedAt);
    written += pending.length;

    const gone = [...index.keys()].filter(ref => !seen.has(ref));
    await scores.deleteLatest(gone);
    await scores.pruneHistory(daysBefore(started, config.historyDays));
    await this.deps.lastSweep.record({
      finishedAt: this.deps.now().toISOString(),
      entities: seen.size,
      durationMs: Date.now() - startedMs,
    });
    // Told only once the new levels are stored: a failed write sends nothing.
    let notified = 0;
    for (const drop of drops) {
      if (!(await this.deps.notifier?.levelDropped(drop))) {
        // the notifications backend is away: one warning, not one wait per drop
        break;
      }
      notified += 1;
    }
    if (this.deps.reminders) {
      notified += (await this.deps.reminders.run()).sent;
    }
    return { entities: seen.size, written, removed: gone.length, notified };
  }
}
