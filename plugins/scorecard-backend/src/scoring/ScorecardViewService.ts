import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  EntityScorecardResponse,
  EntitySummary,
  LevelsResponse,
  OwnedEntitiesResponse,
  RuleResultView,
  RulesResponse,
  ScorecardOverview,
  TrendResponse,
} from '@internal/plugin-scorecard-common';
import { ExemptionStore } from '../database/ExemptionStore';
import { ScorecardStore } from '../database/ScorecardStore';
import { ScorecardConfig } from '../rules';
import { CatalogEvaluator } from './CatalogEvaluator';
import { daysBefore } from './days';
import { longestRunning, withEffectiveStatus } from './exemptions';
import { LastSweep } from './LastSweep';
import { nextLevel } from './levels';
import { buildOverview } from './overview';
import { summarize } from './score';

export interface ScorecardViewServiceOptions {
  config: ScorecardConfig;
  scores: ScorecardStore;
  exemptions: ExemptionStore;
  evaluator: CatalogEvaluator;
  lastSweep: LastSweep;
  now: () => Date;
}

/**
 * What the scorecard says: the rules in force, one entity's scorecard, the catalog-wide
 * overview, each entity's levels and the daily trend.
 */
export class ScorecardViewService {
  private constructor(private readonly deps: ScorecardViewServiceOptions) {}

  static create(options: ScorecardViewServiceOptions): ScorecardViewService {
    return new ScorecardViewService(options);
  }

  rules(): RulesResponse {
    const { config } = this.deps;
    return {
      rules: config.rules,
      levels: config.levels,
      exemptionMaxDays: config.exemptionMaxDays,
      gateLevel: config.gateLevel,
    };
  }

  /**
   * The scorecard of one entity, evaluated now if it has not been yet. Service pages ask
   * for it on every visit, so it costs one read: the stored results with the exemptions.
   */
  async entityScorecard(
    entityRef: string,
    credentials: BackstageCredentials,
    options: { history?: boolean } = {},
  ): Promise<EntityScorecardResponse> {
    const { config, scores } = this.deps;
    const view = await scores.entityView(entityRef);
    let stored = view?.latest;
    let storedExemptions = view?.exemptions;
    if (!stored || !storedExemptions) {
      // Not evaluated yet (new, or no rule applies): ask the catalog as the caller.
      const { score } = await this.deps.evaluator.evaluateNow(
        entityRef,
        credentials,
      );
      stored = {
        entityRef,
        results: score.results,
        evaluatedAt: this.deps.now().toISOString(),
      };
      storedExemptions = await this.deps.exemptions.list({ entityRef });
    }
    const now = this.deps.now();
    const exemptions = storedExemptions.map(e => withEffectiveStatus(e, now));
    const running = exemptions.filter(e => e.status === 'approved');
    const { results, level } = summarize(
      entityRef,
      stored.results,
      running,
      config.levels,
      now,
    );
    const rules = new Map(config.rules.map(rule => [rule.id, rule]));
    const views = results.flatMap((result): RuleResultView[] => {
      const rule = rules.get(result.ruleId);
      if (!rule) {
        return []; // removed from the config since the last evaluation
      }
      const exemption =
        result.outcome === 'exempt'
          ? longestRunning(running, result.ruleId)
          : undefined;
      return [
        {
          ruleId: result.ruleId,
          title: rule.title,
          outcome: result.outcome,
          message: result.message,
          ...(result.outcome === 'fail' && { howToFix: rule.howToFix }),
          ...(exemption && {
            exemption: {
              id: exemption.id,
              expiresAt: exemption.expiresAt,
              reason: exemption.reason,
            },
          }),
        },
      ];
    });
    const lastSweep = await this.deps.lastSweep.finishedAt();
    // No rule applies (a website, a group): no level, and no next one with nothing missing.
    const applicable = views.length > 0;
    return {
      entityRef,
      applicable,
      ...(applicable && level && { level }),
      ...(applicable && nextLevel(config.levels, level, views)),
      results: views,
      exemptions,
      ...(options.history && {
        history: await scores.entityHistory(
          entityRef,
          daysBefore(now, config.historyDays),
        ),
      }),
      evaluatedAt:
        lastSweep && lastSweep > stored.evaluatedAt
          ? lastSweep
          : stored.evaluatedAt,
    };
  }

  /**
   * The entities of these owners (lower-case references), each with its level and the
   * first rule that keeps it from the next one: two reads, however many entities.
   */
  async ownedEntities(owners: string[]): Promise<OwnedEntitiesResponse> {
    const { config, scores, exemptions } = this.deps;
    const now = this.deps.now();
    const [latest, running, lastSweep] = await Promise.all([
      scores.latestResultsOfOwners(owners),
      exemptions.running(now.toISOString()),
      this.deps.lastSweep.finishedAt(),
    ]);
    const rules = new Map(config.rules.map(rule => [rule.id, rule]));
    const items = latest.flatMap((stored): EntitySummary[] => {
      const summary = summarize(
        stored.entityRef,
        // Rules removed from the config since the last evaluation say nothing.
        stored.results.filter(result => rules.has(result.ruleId)),
        running.filter(e => e.entityRef === stored.entityRef),
        config.levels,
        now,
      );
      if (summary.results.length === 0) {
        return []; // no rule applies: the scorecard says nothing about it
      }
      const next = nextLevel(config.levels, summary.level, summary.results);
      const fix = next.nextLevel?.missing
        .map(id => rules.get(id))
        .find(rule => rule !== undefined);
      return [
        {
          entityRef: stored.entityRef,
          ...(stored.owner && { owner: stored.owner }),
          ...(summary.level && { level: summary.level }),
          ...(next.nextLevel && { nextLevel: next.nextLevel.id }),
          ...(fix && {
            nextFix: {
              ruleId: fix.id,
              title: fix.title,
              howToFix: fix.howToFix,
            },
          }),
          passed: summary.passed,
          exempt: summary.exempt,
          failed: summary.failed,
          evaluatedAt:
            lastSweep && lastSweep > stored.evaluatedAt
              ? lastSweep
              : stored.evaluatedAt,
        },
      ];
    });
    return { items };
  }

  /** Evaluates one entity on the catalog's current data and stores the result. */
  async refresh(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    await this.deps.evaluator.evaluateNow(entityRef, credentials);
  }

  /** Each entity's level now and on its first evaluated day (for portal insights). */
  async levels(): Promise<LevelsResponse> {
    return { items: await this.deps.scores.levels() };
  }

  /** The daily trend, of one owner's entities when `owner` is given. */
  async trend(owner?: string): Promise<TrendResponse> {
    const { config, scores } = this.deps;
    const history = await scores.historyAggregates(
      daysBefore(this.deps.now(), config.historyDays),
      owner,
    );
    return {
      trend: buildOverview({
        rules: config.rules,
        levels: config.levels,
        latest: [],
        history,
      }).trend,
    };
  }

  async overview(): Promise<ScorecardOverview> {
    const { config, scores } = this.deps;
    const [latest, history, lastSweep] = await Promise.all([
      scores.latestSummaries(),
      scores.historyAggregates(daysBefore(this.deps.now(), config.historyDays)),
      this.deps.lastSweep.finishedAt(),
    ]);
    return buildOverview({
      rules: config.rules,
      levels: config.levels,
      latest,
      history,
      evaluatedAt: lastSweep,
    });
  }
}
