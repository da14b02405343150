import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ExemptionRecord,
  ExemptionStatus,
} from '@internal/plugin-scorecard-common';
import { Knex } from 'knex';
import {
  ExemptionRow,
  isOpenRequestConflict,
  migratedClient,
  toExemption,
} from './tables';

/**
 * Exemption requests and decisions. Timestamps are ISO 8601 strings in UTC, which sort
 * the same as the instants they name.
 */
export class ExemptionStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<ExemptionStore> {
    return new ExemptionStore(await migratedClient(options));
  }

  /**
   * Stores an exemption; false, and nothing stored, when it is a request and another
   * request for the same rule and entity is open. The database decides (a partial unique
   * index), so concurrent requests on any number of replicas leave one open.
   */
  async insert(exemption: ExemptionRecord): Promise<boolean> {
    try {
      await this.db<ExemptionRow>('scorecard_exemptions').insert({
        id: exemption.id,
        entity_ref: exemption.entityRef,
        rule_id: exemption.ruleId,
        reason: exemption.reason,
        risk_signoff: exemption.riskSignoff,
        expires_at: exemption.expiresAt,
        status: exemption.status,
        requested_by: exemption.requestedBy,
        requested_at: exemption.requestedAt,
      });
      return true;
    } catch (error) {
      if (isOpenRequestConflict(error)) {
        return false;
      }
      throw error;
    }
  }

  async get(id: string): Promise<ExemptionRecord | undefined> {
    const row = await this.db<ExemptionRow>('scorecard_exemptions')
      .where('id', id)
      .first();
    return row ? toExemption(row) : undefined;
  }

  /** Newest request first. `status` filters on the stored status. */
  async list(filter: {
    entityRef?: string;
    status?: ExemptionStatus;
  }): Promise<ExemptionRecord[]> {
    const query = this.db<ExemptionRow>('scorecard_exemptions');
    if (filter.entityRef) {
      query.where('entity_ref', filter.entityRef);
    }
    if (filter.status) {
      query.where('status', filter.status);
    }
    const rows = await query.orderBy('requested_at', 'desc');
    return rows.map(toExemption);
  }

  /** Approved exemptions that have not expired at `now` (an ISO timestamp). */
  async running(now: string, entityRef?: string): Promise<ExemptionRecord[]> {
    const query = this.db<ExemptionRow>('scorecard_exemptions')
      .where('status', 'approved')
      .andWhere('expires_at', '>', now);
    if (entityRef) {
      query.andWhere('entity_ref', entityRef);
    }
    return (await query).map(toExemption);
  }

  /** Approved exemptions whose expiry lies in (`from`, `to`] (ISO timestamps). */
  async approvedEnding(from: string, to: string): Promise<ExemptionRecord[]> {
    const rows = await this.db<ExemptionRow>('scorecard_exemptions')
      .where('status', 'approved')
      .andWhere('expires_at', '>', from)
      .andWhere('expires_at', '<=', to);
    return rows.map(toExemption);
  }

  /**
   * Moves an exemption from one status to another; false when it was not in `from`
   * (someone else decided first), so two decisions never both win.
   */
  async decide(
    id: string,
    from: ExemptionStatus,
    decision: {
      status: ExemptionStatus;
      decidedBy: string;
      decidedAt: string;
      comment?: string;
    },
  ): Promise<boolean> {
    const updated = await this.db<ExemptionRow>('scorecard_exemptions')
      .where({ id, status: from })
      .update({
        status: decision.status,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt,
        decision_comment: decision.comment ?? null,
      });
    return updated === 1;
  }
}
