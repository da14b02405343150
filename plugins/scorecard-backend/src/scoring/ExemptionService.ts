import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CONTROL_CHARACTERS_MESSAGE,
  hasControlCharacters,
} from '@internal/paved-road-common';
import {
  ExemptionRecord,
  ExemptionRequest,
  ExemptionStatus,
} from '@internal/plugin-scorecard-common';
import { randomUUID } from 'node:crypto';
import { ExemptionStore } from '../database/ExemptionStore';
import { ScorecardStore } from '../database/ScorecardStore';
import { ScorecardNotifier } from '../notifications/ScorecardNotifier';
import { ruleAppliesTo, ScorecardConfig } from '../rules';
import { DAY_MS, dayOf, instantOf } from './days';
import { withEffectiveStatus } from './exemptions';
import { parseCallerRef } from './refs';
import { toScored } from './score';

function alreadyOpen(open: ExemptionRecord): ConflictError {
  return new ConflictError(
    `An exemption from rule '${open.ruleId}' for ${open.entityRef} is already ${open.status} (id ${open.id}, until ${open.expiresAt}); revoke or reject it first`,
  );
}

/** Who made a decision, and why. */
export interface Decision {
  by: string;
  comment?: string;
}

export interface ExemptionServiceOptions {
  config: ScorecardConfig;
  catalog: CatalogService;
  scores: ScorecardStore;
  exemptions: ExemptionStore;
  now: () => Date;
  /** Tells the requester about the decision; a failure to tell is only logged. */
  notifier?: ScorecardNotifier;
}

/**
 * Exemptions: requested by anyone who can read the scorecard, decided by someone else
 * with the approve permission (four eyes), and ending by themselves at their expiry.
 */
export class ExemptionService {
  private constructor(private readonly deps: ExemptionServiceOptions) {}

  static create(options: ExemptionServiceOptions): ExemptionService {
    return new ExemptionService(options);
  }

  async list(filter: {
    entityRef?: string;
    status?: ExemptionStatus;
  }): Promise<ExemptionRecord[]> {
    const now = this.deps.now();
    const stored = await this.deps.exemptions.list({
      entityRef: filter.entityRef,
      status: filter.status === 'expired' ? 'approved' : filter.status,
    });
    const all = stored.map(e => withEffectiveStatus(e, now));
    return filter.status ? all.filter(e => e.status === filter.status) : all;
  }

  async get(id: string): Promise<ExemptionRecord> {
    if (hasControlCharacters(id)) {
      throw new InputError(`Invalid id: ${CONTROL_CHARACTERS_MESSAGE}`);
    }
    const exemption = await this.deps.exemptions.get(id);
    if (!exemption) {
      throw new NotFoundError(`No exemption with id '${id}'`);
    }
    return withEffectiveStatus(exemption, this.deps.now());
  }

  /** Records a request; someone with the approve permission decides on it. */
  async request(
    request: ExemptionRequest,
    requestedBy: string,
    credentials: BackstageCredentials,
  ): Promise<ExemptionRecord> {
    const { config, catalog, exemptions } = this.deps;
    const entityRef = parseCallerRef(request.entityRef, 'entityRef');
    const rule = config.rules.find(r => r.id === request.ruleId);
    if (!rule) {
      throw new InputError(
        `Invalid ruleId '${
          request.ruleId
        }': no such rule, expected one of ${config.rules
          .map(r => r.id)
          .join(', ')}`,
      );
    }
    const now = this.deps.now();
    const expiresAt = this.checkExpiry(request.expiresAt, now);
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity '${entityRef}' in the catalog`);
    }
    if (!ruleAppliesTo(rule, entity)) {
      throw new InputError(
        `Invalid ruleId '${rule.id}': the rule does not apply to ${entityRef}, so it needs no exemption`,
      );
    }
    const open = await this.openExemption(entityRef, rule.id, now);
    if (open) {
      throw alreadyOpen(open);
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
    if (!(await exemptions.insert(exemption))) {
      // A concurrent request for the same rule and entity was stored first.
      const winner = await this.openExemption(entityRef, rule.id, now);
      throw winner
        ? alreadyOpen(winner)
        : new ConflictError(
            `Another exemption request from rule '${rule.id}' for ${entityRef} was decided while yours was stored; reload and try again`,
          );
    }
    return exemption;
  }

  /** The request or running exemption from `ruleId` for the entity, if any. */
  private async openExemption(
    entityRef: string,
    ruleId: string,
    now: Date,
  ): Promise<ExemptionRecord | undefined> {
    return (await this.deps.exemptions.list({ entityRef }))
      .map(e => withEffectiveStatus(e, now))
      .find(
        e =>
          e.ruleId === ruleId &&
          (e.status === 'requested' || e.status === 'approved'),
      );
  }

  /** Four eyes: whoever requested an exemption cannot approve it. */
  async approve(id: string, decision: Decision): Promise<ExemptionRecord> {
    const exemption = await this.get(id);
    if (exemption.requestedBy === decision.by) {
      throw new NotAllowedError(
        `You requested exemption ${id} yourself; someone else with the approve permission has to approve it`,
      );
    }
    if (exemption.status === 'requested') {
      const now = this.deps.now();
      // A request may wait past its own expiry; approving it then would mean nothing.
      this.checkExpiry(
        exemption.expiresAt,
        now,
        'has expired while waiting for approval',
      );
      // The database holds one open request per rule and entity; this keeps a request
      // recorded beside a running exemption from becoming a second one.
      const running = (
        await this.deps.exemptions.running(
          now.toISOString(),
          exemption.entityRef,
        )
      ).find(e => e.ruleId === exemption.ruleId);
      if (running) {
        throw alreadyOpen({ ...running, status: 'approved' });
      }
    }
    return this.decide(exemption, 'requested', 'approved', decision);
  }

  async reject(id: string, decision: Decision): Promise<ExemptionRecord> {
    return this.decide(await this.get(id), 'requested', 'rejected', decision);
  }

  async revoke(id: string, decision: Decision): Promise<ExemptionRecord> {
    return this.decide(await this.get(id), 'approved', 'revoked', decision);
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
    const done = await this.deps.exemptions.decide(exemption.id, from, {
      status: to,
      decidedBy: decision.by,
      decidedAt: this.deps.now().toISOString(),
      comment: decision.comment?.trim() || undefined,
    });
    if (!done) {
      throw new ConflictError(
        `Exemption ${exemption.id} was decided by someone else meanwhile; reload it`,
      );
    }
    await this.rescoreStored(exemption.entityRef);
    const decided = await this.get(exemption.id);
    await this.deps.notifier?.exemptionDecided(decided);
    return decided;
  }

  /** Re-applies exemptions to the stored results, so the overview follows at once. */
  private async rescoreStored(entityRef: string) {
    const { config, scores, exemptions } = this.deps;
    const stored = await scores.latestResults(entityRef);
    if (!stored) {
      return;
    }
    const now = this.deps.now();
    await scores.writeScores(
      [
        toScored({
          entityRef,
          owner: stored.owner,
          system: stored.system,
          raw: stored.results,
          exemptions: await exemptions.running(now.toISOString(), entityRef),
          levels: config.levels,
          now,
        }),
      ],
      dayOf(now),
      stored.evaluatedAt,
    );
  }

  private checkExpiry(
    raw: string,
    now: Date,
    pastProblem = 'must be in the future',
  ): string {
    const stored = instantOf(raw);
    if (stored === undefined) {
      throw new InputError(
        `Invalid expiresAt '${raw}': expected an ISO 8601 date, or a timestamp with its offset, like 2027-01-31 or 2027-01-31T12:00:00Z`,
      );
    }
    const time = Date.parse(stored);
    if (time <= now.getTime()) {
      throw new InputError(`Invalid expiresAt '${raw}': ${pastProblem}`);
    }
    const max = this.deps.config.exemptionMaxDays;
    if (time > now.getTime() + max * DAY_MS) {
      throw new InputError(
        `Invalid expiresAt '${raw}': an exemption lasts at most ${max} days, so no later than ${new Date(
          now.getTime() + max * DAY_MS,
        ).toISOString()}`,
      );
    }
    return stored;
  }
}
