// @ts-check

const INDEX = 'scorecard_exemptions_one_open_request_idx';

/**
 * One open request per rule and entity, held by the database: a partial unique index on
 * requested exemptions, which SQLite and PostgreSQL both enforce whatever the number of
 * replicas. Duplicates recorded before it (concurrent requests raced the application's
 * check) are resolved first: the oldest request stays open, each other one is rejected
 * by `plugin:scorecard` with a comment naming the one kept.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const duplicated = await knex('scorecard_exemptions')
    .where('status', 'requested')
    .groupBy('entity_ref', 'rule_id')
    .havingRaw('count(*) > 1')
    .select('entity_ref', 'rule_id');
  const decidedAt = new Date().toISOString();
  for (const { entity_ref, rule_id } of duplicated) {
    const [kept, ...others] = await knex('scorecard_exemptions')
      .where({ entity_ref, rule_id, status: 'requested' })
      .orderBy([
        { column: 'requested_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .select('id');
    await knex('scorecard_exemptions')
      .whereIn(
        'id',
        others.map(row => row.id),
      )
      .update({
        status: 'rejected',
        decided_by: 'plugin:scorecard',
        decided_at: decidedAt,
        decision_comment: `Closed as a duplicate: request ${kept.id}, the oldest open one for this rule and entity, stays open (one open request per rule and entity)`,
      });
  }
  await knex.schema.alterTable('scorecard_exemptions', table => {
    table.unique(['entity_ref', 'rule_id'], {
      indexName: INDEX,
      predicate: knex.whereRaw("status = 'requested'"),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scorecard_exemptions', table => {
    // A unique index, not a constraint: dropped as an index on both databases.
    table.dropIndex(['entity_ref', 'rule_id'], INDEX);
  });
};
