import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityScorecardResponse,
  ExemptionRecord,
  ExemptionRequest,
  ExemptionStatus,
  GateResponse,
  RulePreviewResponse,
  RulesResponse,
  ScorecardOverview,
  ScorecardRule,
  TrendDay,
} from '@internal/plugin-scorecard-common';
import { randomUUID } from 'node:crypto';
import { ScorecardStore } from '../database/ScorecardStore';
import {
  evaluateEntity,
  relationTargets,
  ruleAppliesTo,
  ScorecardConfig,
} from '../rules';
import { buildOverview } from './overview';
import {
  dayOf,
  entityKey,
  fieldsFor,
  filterFor,
  scoreEntity,
  ScoredEntity,
  summarize,
  targetKindsOf,
  toScored,
} from './score';

const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE_SIZE = 1000;
// Scores are written in batches while the catalog is still being read.
const WRITE_BATCH = 1000;
const ENTITY_FIELDS = ['kind', 'metadata.namespace', 'metadata.name'];

/** Parses a reference given by a caller; the kind must be there, the namespace may not. */
export function parseCallerRef(ref: string, field: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
  } catch (e) {
    throw new InputError(
      `Invalid ${field} '${ref}': ${
        (e as Error).message
      }, expected kind:namespace/name`,
    );
  }
}

/** Who made a decision, and why. */
export interface Decision {
  by: string;
  comment?: string;
}

/**
 * The scorecard's logic: sweeping the catalog, answering for one entity, the overview,
 * the deploy gate, exemptions and the impact preview. No HTTP here; the router maps it.
 */
export class ScorecardService {
  private constructor(
    private readonly config: ScorecardConfig,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly store: ScorecardStore,
    private readonly now: () => Date,
  ) {}

  static create(options: {
    config: ScorecardConfig;
    catalog: CatalogService;
    auth: AuthService;
    store: ScorecardStore;
    now?: () => Date;
  }): ScorecardService {
    return new ScorecardService(
      options.config,
      options.catalog,
      options.auth,
      options.store,
      options.now ?? (() => new Date()),
    );
  }

  rules(): RulesResponse {
    return {
      rules: this.config.rules,
      levels: this.config.levels,
      exemptionMaxDays: this.config.exemptionMaxDays,
      gateLevel: this.config.gateLevel,
    };
  }

  /**
   * Evaluates every entity the rules apply to and stores what changed: reads the catalog
   * page by page, asking only for the fields the rules need.
   */
  async sweep(): Promise<{
    entities: number;
    written: number;
    removed: number;
  }> {
    const started = this.now();
    const startedMs = Date.now();
    const day = dayOf(started);
    const evaluatedAt = started.toISOString();
    const { rules, levels } = this.config;
    const credentials = await this.auth.getOwnServiceCredentials();

    const index = await this.store.latestIndex();
    const existing = await this.existingEntities(
      targetKindsOf(rules),
      credentials,
    );
    const exemptions = groupByEntity(
      await this.store.runningExemptions(evaluatedAt),
    );
    const context = { entityExists: (ref: string) => existing.has(ref) };

    const seen = new Set<string>();
    let pending: ScoredEntity[] = [];
    let written = 0;
    for await (const page of this.catalog.streamEntities(
      {
        filter: filterFor(rules),
        fields: fieldsFor(rules),
        pageSize: PAGE_SIZE,
      },
      { credentials },
    )) {
      for (const entity of page) {
        const score = scoreEntity({
          entity,
          rules,
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
      }
      if (pending.length >= WRITE_BATCH) {
        await this.store.writeScores(pending, day, evaluatedAt);
        written += pending.length;
        pending = [];
      }
    }
    await this.store.writeScores(pending, day, evaluatedAt);
    written += pending.length;

    const gone = [...index.keys()].filter(ref => !seen.has(ref));
    await this.store.deleteLatest(gone);
    await this.store.pruneHistory(
      dayOf(new Date(started.getTime() - this.config.historyDays * DAY_MS)),
    );
    const finishedAt = this.now().toISOString();
    this.lastSweepCache = { value: finishedAt, readAt: Date.now() };
    await this.store.recordSweep({
      finishedAt,
      entities: seen.size,
      durationMs: Date.now() - startedMs,
    });
    return { entities: seen.size, written, removed: gone.length };
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
    const view = await this.store.entityView(entityRef);
    let stored = view?.latest;
    let storedExemptions = view?.exemptions;
    if (!stored || !storedExemptions) {
      // Not evaluated yet (new, or no rule applies): ask the catalog as the caller.
      const { score } = await this.evaluateNow(entityRef, credentials);
      stored = {
        entityRef,
        results: score.results,
        evaluatedAt: this.now().toISOString(),
      };
      storedExemptions = await this.store.exemptions({ entityRef });
    }
    const now = this.now();
    const exemptions = storedExemptions.map(e => withEffectiveStatus(e, now));
    const running = exemptions.filter(e => e.status === 'approved');
    const { results, level } = summarize(
      entityRef,
      stored.results,
      running,
      this.config.levels,
      now,
    );
    const rules = new Map(this.config.rules.map(rule => [rule.id, rule]));
    const views = results.flatMap(result => {
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
    const lastSweep = await this.lastSweep();
    return {
      entityRef,
      ...(level && { level }),
      ...this.nextLevel(level, views),
      results: views,
      exemptions,
      ...(options.history && {
        history: await this.store.entityHistory(
          entityRef,
          dayOf(new Date(now.getTime() - this.config.historyDays * DAY_MS)),
        ),
      }),
      evaluatedAt:
        lastSweep && lastSweep > stored.evaluatedAt
          ? lastSweep
          : stored.evaluatedAt,
    };
  }

  // When the last sweep ended: shown on every entity, read at most once a few seconds.
  private lastSweepCache?: { value?: string; readAt: number };

  private async lastSweep(): Promise<string | undefined> {
    const cached = this.lastSweepCache;
    if (cached && Date.now() - cached.readAt < 5_000) {
      return cached.value;
    }
    const value = (await this.store.lastSweep())?.finishedAt;
    this.lastSweepCache = { value, readAt: Date.now() };
    return value;
  }

  /** Evaluates one entity on the catalog's current data and stores the result. */
  async refresh(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    await this.evaluateNow(entityRef, credentials);
  }

  /** Each entity's level now and on its first evaluated day (for portal insights). */
  async levels() {
    return { items: await this.store.levels() };
  }

  /** The daily trend, of one owner's entities when `owner` is given. */
  async trend(owner?: string): Promise<{ trend: TrendDay[] }> {
    const now = this.now();
    const history = await this.store.historyAggregates(
      dayOf(new Date(now.getTime() - this.config.historyDays * DAY_MS)),
      owner,
    );
    return {
      trend: buildOverview({
        rules: this.config.rules,
        levels: this.config.levels,
        latest: [],
        history,
      }).trend,
    };
  }

  async overview(): Promise<ScorecardOverview> {
    const now = this.now();
    const [latest, history, lastSweep] = await Promise.all([
      this.store.latestSummaries(),
      this.store.historyAggregates(
        dayOf(new Date(now.getTime() - this.config.historyDays * DAY_MS)),
      ),
      this.lastSweep(),
    ]);
    return buildOverview({
      rules: this.config.rules,
      levels: this.config.levels,
      latest,
      history,
      evaluatedAt: lastSweep,
    });
  }

  /**
   * The deploy gate: evaluates the entity on the catalog's current data (not the last
   * sweep) with the exemptions running now, and passes when it reaches the gate's level.
   */
  async gate(entityRef: string): Promise<GateResponse> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const { score } = await this.evaluateNow(entityRef, credentials);
    const now = this.now();
    const running = await this.store.runningExemptions(
      now.toISOString(),
      entityRef,
    );
    const { results, level } = summarize(
      entityRef,
      score.results,
      running,
      this.config.levels,
      now,
    );
    const required =
      this.config.levels.find(l => l.id === this.config.gateLevel)?.rules ?? [];
    const rules = new Map(this.config.rules.map(rule => [rule.id, rule]));
    const violations = results
      .filter(r => r.outcome === 'fail' && required.includes(r.ruleId))
      .map(r => ({
        ruleId: r.ruleId,
        title: rules.get(r.ruleId)?.title ?? r.ruleId,
        message: r.message,
        howToFix: rules.get(r.ruleId)?.howToFix ?? '',
      }));
    const exempted = results
      .filter(r => r.outcome === 'exempt')
      .flatMap(r => {
        const exemption = longestRunning(running, r.ruleId);
        return exemption
          ? [
              {
                ruleId: r.ruleId,
                exemptionId: exemption.id,
                expiresAt: exemption.expiresAt,
              },
            ]
          : [];
      });
    return {
      entityRef,
      result: violations.length === 0 ? 'pass' : 'fail',
      requiredLevel: this.config.gateLevel,
      ...(level && { level }),
      violations,
      exempted,
      evaluatedAt: now.toISOString(),
    };
  }

  async exemptions(filter: {
    entityRef?: string;
    status?: ExemptionStatus;
  }): Promise<ExemptionRecord[]> {
    const now = this.now();
    const stored = await this.store.exemptions({
      entityRef: filter.entityRef,
      status: filter.status === 'expired' ? 'approved' : filter.status,
    });
    const all = stored.map(e => withEffectiveStatus(e, now));
    return filter.status ? all.filter(e => e.status === filter.status) : all;
  }

  async exemption(id: string): Promise<ExemptionRecord> {
    const exemption = await this.store.exemption(id);
    if (!exemption) {
      throw new NotFoundError(`No exemption with id '${id}'`);
    }
    return withEffectiveStatus(exemption, this.now());
  }

  /** Records a request; someone with the approve permission decides on it. */
  async requestExemption(
    request: ExemptionRequest,
    requestedBy: string,
    credentials: BackstageCredentials,
  ): Promise<ExemptionRecord> {
    const entityRef = parseCallerRef(request.entityRef, 'entityRef');
    const rule = this.config.rules.find(r => r.id === request.ruleId);
    if (!rule) {
      throw new InputError(
        `Invalid ruleId '${
          request.ruleId
        }': no such rule, expected one of ${this.config.rules
          .map(r => r.id)
          .join(', ')}`,
      );
    }
    const now = this.now();
    const expiresAt = this.checkExpiry(request.expiresAt, now);
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity '${entityRef}' in the catalog`);
    }
    if (!ruleAppliesTo(rule, entity)) {
      throw new InputError(
        `Invalid ruleId '${rule.id}': the rule does not apply to ${entityRef}, so it needs no exemption`,
      );
    }
    const open = (await this.store.exemptions({ entityRef }))
      .map(e => withEffectiveStatus(e, now))
      .find(
        e =>
          e.ruleId === rule.id &&
          (e.status === 'requested' || e.status === 'approved'),
      );
    if (open) {
      throw new ConflictError(
        `An exemption from rule '${rule.id}' for ${entityRef} is already ${open.status} (id ${open.id}, until ${open.expiresAt}); revoke or reject it first`,
      );
    }
    const exemption: ExemptionRecord = {
      id: randomUUID(),
      entityRef,
      ruleId: rule.id,
      reason: request.reason.trim(),
      riskSignoff: request.riskSignoff.trim(),
      expiresAt,
      status: 'requested',
      requestedBy,
      requestedAt: now.toISOString(),
    };
    await this.store.insertExemption(exemption);
    return exemption;
  }

  async approveExemption(id: string, decision: Decision) {
    const exemption = await this.exemption(id);
    if (exemption.requestedBy === decision.by) {
      throw new NotAllowedError(
        `You requested exemption ${id} yourself; someone else with the approve permission has to approve it`,
      );
    }
    if (exemption.status === 'requested') {
      // A request may wait past its own expiry; approving it then would mean nothing.
      this.checkExpiry(
        exemption.expiresAt,
        this.now(),
        'has expired while waiting for approval',
      );
    }
    return this.decide(exemption, 'requested', 'approved', decision);
  }

  async rejectExemption(id: string, decision: Decision) {
    return this.decide(
      await this.exemption(id),
      'requested',
      'rejected',
      decision,
    );
  }

  async revokeExemption(id: string, decision: Decision) {
    return this.decide(
      await this.exemption(id),
      'approved',
      'revoked',
      decision,
    );
  }

  /** What a proposed rule would say about every entity the caller can see. */
  async preview(
    rule: ScorecardRule,
    credentials: BackstageCredentials,
  ): Promise<RulePreviewResponse> {
    const own = await this.auth.getOwnServiceCredentials();
    const existing = await this.existingEntities(targetKindsOf([rule]), own);
    const context = { entityExists: (ref: string) => existing.has(ref) };
    let entities = 0;
    let applicable = 0;
    let passing = 0;
    const failing: RulePreviewResponse['failing'] = [];
    for await (const page of this.catalog.streamEntities(
      {
        filter: filterFor([rule]),
        fields: fieldsFor([rule]),
        pageSize: PAGE_SIZE,
      },
      { credentials },
    )) {
      for (const entity of page) {
        entities += 1;
        const [result] = evaluateEntity(entity, [rule], context);
        if (!result) {
          continue;
        }
        applicable += 1;
        if (result.outcome === 'pass') {
          passing += 1;
        } else {
          const owner = entity.spec?.owner;
          failing.push({
            entityRef: entityKey(entity),
            ...(typeof owner === 'string' && { owner }),
            message: result.message,
          });
        }
      }
    }
    return { ruleId: rule.id, entities, applicable, passing, failing };
  }

  private async decide(
    exemption: ExemptionRecord,
    from: ExemptionStatus,
    to: ExemptionStatus,
    decision: Decision,
  ): Promise<ExemptionRecord> {
    if (exemption.status !== from) {
      throw new ConflictError(
        `Exemption ${exemption.id} is ${exemption.status}; only a ${from} exemption can be ${to}`,
      );
    }
    const done = await this.store.decideExemption(exemption.id, from, {
      status: to,
      decidedBy: decision.by,
      decidedAt: this.now().toISOString(),
      comment: decision.comment?.trim() || undefined,
    });
    if (!done) {
      throw new ConflictError(
        `Exemption ${exemption.id} was decided by someone else meanwhile; reload it`,
      );
    }
    await this.rescoreStored(exemption.entityRef);
    return this.exemption(exemption.id);
  }

  /** Re-applies exemptions to the stored results, so the overview follows at once. */
  private async rescoreStored(entityRef: string) {
    const stored = await this.store.latestResults(entityRef);
    if (!stored) {
      return;
    }
    const now = this.now();
    await this.store.writeScores(
      [
        toScored({
          entityRef,
          owner: stored.owner,
          system: stored.system,
          raw: stored.results,
          exemptions: await this.store.runningExemptions(
            now.toISOString(),
            entityRef,
          ),
          levels: this.config.levels,
          now,
        }),
      ],
      dayOf(now),
      stored.evaluatedAt,
    );
  }

  private async evaluateNow(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; score: ScoredEntity }> {
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity '${entityRef}' in the catalog`);
    }
    const { rules, levels } = this.config;
    const targets = relationTargets(entity, rules);
    const existing = new Set<string>();
    if (targets.length > 0) {
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: targets, fields: ENTITY_FIELDS },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      for (const item of items) {
        if (item) {
          existing.add(entityKey(item));
        }
      }
    }
    const now = this.now();
    const score = scoreEntity({
      entity,
      rules,
      levels,
      context: { entityExists: ref => existing.has(ref) },
      exemptions: await this.store.runningExemptions(
        now.toISOString(),
        entityKey(entity),
      ),
      now,
    });
    if (score.results.length > 0) {
      await this.store.writeScores([score], dayOf(now), now.toISOString());
    }
    return { entity, score };
  }

  private async existingEntities(
    kinds: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const existing = new Set<string>();
    if (kinds.length === 0) {
      return existing;
    }
    for await (const page of this.catalog.streamEntities(
      { filter: { kind: kinds }, fields: ENTITY_FIELDS, pageSize: PAGE_SIZE },
      { credentials },
    )) {
      for (const entity of page) {
        existing.add(entityKey(entity));
      }
    }
    return existing;
  }

  private checkExpiry(
    raw: string,
    now: Date,
    pastProblem = 'must be in the future',
  ): string {
    const time = Date.parse(raw);
    if (Number.isNaN(time)) {
      throw new InputError(
        `Invalid expiresAt '${raw}': expected an ISO 8601 date or timestamp, like 2027-01-31 or 2027-01-31T12:00:00Z`,
      );
    }
    if (time <= now.getTime()) {
      throw new InputError(`Invalid expiresAt '${raw}': ${pastProblem}`);
    }
    const max = this.config.exemptionMaxDays;
    if (time > now.getTime() + max * DAY_MS) {
      throw new InputError(
        `Invalid expiresAt '${raw}': an exemption lasts at most ${max} days, so no later than ${new Date(
          now.getTime() + max * DAY_MS,
        ).toISOString()}`,
      );
    }
    return new Date(time).toISOString();
  }

  private nextLevel(
    level: string | undefined,
    results: Array<{ ruleId: string; outcome: string }>,
  ) {
    const levels = this.config.levels;
    const next = levels[level ? levels.findIndex(l => l.id === level) + 1 : 0];
    if (!next) {
      return {};
    }
    const failing = new Set(
      results.filter(r => r.outcome === 'fail').map(r => r.ruleId),
    );
    return {
      nextLevel: {
        id: next.id,
        missing: next.rules.filter(ruleId => failing.has(ruleId)),
      },
    };
  }
}

function groupByEntity(exemptions: ExemptionRecord[]) {
  const map = new Map<string, ExemptionRecord[]>();
  for (const exemption of exemptions) {
    const list = map.get(exemption.entityRef) ?? [];
    list.push(exemption);
    map.set(exemption.entityRef, list);
  }
  return map;
}

function longestRunning(running: ExemptionRecord[], ruleId: string) {
  return running
    .filter(e => e.ruleId === ruleId)
    .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0];
}

function withEffectiveStatus(
  exemption: ExemptionRecord,
  now: Date,
): ExemptionRecord {
  return exemption.status === 'approved' &&
    Date.parse(exemption.expiresAt) <= now.getTime()
    ? { ...exemption, status: 'expired' }
    : exemption;
}
