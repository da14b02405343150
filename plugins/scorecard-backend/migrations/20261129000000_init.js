// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The latest raw results per entity (before exemptions, which apply when read, so an
  // expiring exemption stops applying by itself), plus the exempted summary the overview
  // aggregates.
  await knex.schema.createTable('scorecard_latest', table => {
    table.comment('The latest scorecard evaluation of each catalog entity');
    table.string('entity_ref', 255).primary().notNullable();
    table.string('owner', 255).nullable();
    table.string('system', 255).nullable();
    table.string('level', 63).nullable();
    table.integer('passed').notNullable();
    table.integer('exempt').notNullable();
    table.integer('failed').notNullable();
    table.text('results').notNullable().comment('JSON: raw RuleResult[]');
    table.text('outcomes').notNullable().comment('JSON: rule id to outcome');
    table.string('fingerprint', 64).notNullable();
    table.string('history_day', 10).notNullable();
    table.string('evaluated_at', 30).notNullable();
  });

  await knex.schema.createTable('scorecard_history', table => {
    table.comment('One row per entity per day: its scorecard at the day end');
    table.string('day', 10).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('owner', 255).nullable();
    table.string('system', 255).nullable();
    table.string('level', 63).nullable();
    table.integer('passed').notNullable();
    table.integer('exempt').notNullable();
    table.integer('failed').notNullable();
    table.text('failing').notNullable().comment('JSON: failing rule ids');
    table.primary(['day', 'entity_ref']);
    table.index(['entity_ref'], 'scorecard_history_entity_idx');
  });

  await knex.schema.createTable('scorecard_exemptions', table => {
    table.comment('Exemption requests and decisions');
    table.string('id', 36).primary().notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('rule_id', 63).notNullable();
    table.text('reason').notNullable();
    table.text('risk_signoff').notNullable();
    table.string('expires_at', 30).notNullable();
    table.string('status', 16).notNullable();
    table.string('requested_by', 255).notNullable();
    table.string('requested_at', 30).notNullable();
    table.string('decided_by', 255).nullable();
    table.string('decided_at', 30).nullable();
    table.text('decision_comment').nullable();
    table.index(['entity_ref'], 'scorecard_exemptions_entity_idx');
  });

  await knex.schema.createTable('scorecard_sweeps', table => {
    table.comment('When each evaluation of the whole catalog ended');
    table.increments('id');
    table.string('finished_at', 30).notNullable();
    table.integer('entities').notNullable();
    table.integer('duration_ms').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_sweeps');
  await knex.schema.dropTable('scorecard_exemptions');
  await knex.schema.dropTable('scorecard_history');
  await knex.schema.dropTable('scorecard_latest');
};
