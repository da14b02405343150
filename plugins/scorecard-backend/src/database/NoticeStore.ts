import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migratedClient } from './tables';

function isDuplicateKey(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code } = error as Record<string, unknown>;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * Which one-time notifications were sent. The primary key decides, so a notice claimed
 * on one replica cannot be claimed on another.
 */
export class NoticeStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<NoticeStore> {
    return new NoticeStore(await migratedClient(options));
  }

  /** Records `notice` as sent; false when it already was. */
  async claim(notice: string, at: string): Promise<boolean> {
    try {
      await this.db('scorecard_notices').insert({ notice, sent_at: at });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) {
        return false;
      }
      throw error;
    }
  }

  /** Forgets a claim whose sending failed, so that it is tried again. */
  async release(notice: string): Promise<void> {
    await this.db('scorecard_notices').where({ notice }).delete();
  }
}
