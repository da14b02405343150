import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ExemptionRecord,
  ExemptionStatus,
} from '@internal/plugin-scorecard-common';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-scorecard-backend',
  'migrations',
);

/** The plugin's database client, migrated to the latest schema unless told not to. */
export async function migratedClient(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
}): Promise<Knex> {
  const db = await options.database.getClient();
  if (!options.database.migrations?.skip && !options.skipMigrations) {
    await db.migrate.latest({
      directory: migrationsDir,
      tableName: 'scorecard_knex_migrations',
    });
  }
  return db;
}

/** The partial unique index that keeps one open request per rule and entity. */
export const ONE_OPEN_REQUEST_INDEX =
  'scorecard_exemptions_one_open_request_idx';

/** Whether an insert broke the one open request per rule and entity. */
export function isOpenRequestConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, constraint, message } = error as Record<string, unknown>;
  // PostgreSQL names the index; SQLite names the columns.
  return (
    (code === '23505' && constraint === ONE_OPEN_REQUEST_INDEX) ||
    (code === 'SQLITE_CONSTRAINT_UNIQUE' &&
      typeof message === 'string' &&
      message.includes('scorecard_exemptions.entity_ref'))
  );
}

// Rows per statement; keeps well under SQLite's and PostgreSQL's parameter limits.
const CHUNK = 250;

export function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

export type ExemptionRow = {
  id: string;
  entity_ref: string;
  rule_id: string;
  reason: string;
  risk_signoff: string;
  expires_at: string;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_comment: string | null;
};

export function toExemption(row: ExemptionRow): ExemptionRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ruleId: row.rule_id,
    reason: row.reason,
    riskSignoff: row.risk_signoff,
    expiresAt: row.expires_at,
    status: row.status as ExemptionStatus,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    ...(row.status === 'approved' &&
      row.decided_by && { approvedBy: row.decided_by }),
    ...(row.decided_by && { decidedBy: row.decided_by }),
    ...(row.decided_at && { decidedAt: row.decided_at }),
    ...(row.decision_comment && { decisionComment: row.decision_comment }),
  };
}
