// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('insights_events', table => {
    table.comment(
      'Events from the portal (portal:event:emit), each stored once',
    );
    table.string('id', 128).primary().notNullable().comment('Idempotency key');
    table.string('name', 100).notNullable();
    table.string('service', 253).notNullable();
    table.string('team', 255).nullable().comment('Owner group ref, lower case');
    table.string('template_ref', 255).nullable();
    table.string('user_ref', 255).nullable();
    table.string('task_id', 64).nullable();
    table.bigInteger('duration_ms').nullable();
    table.text('attributes').notNullable().comment('JSON');
    table.string('occurred_at', 30).notNullable();
    table.string('received_at', 30).notNullable();
    table.index(['name', 'occurred_at'], 'insights_events_name_time_idx');
  });
  await knex.schema.createTable('insights_cache', table => {
    table.comment('Answers read from GitHub, kept for a while');
    table.string('key', 255).primary().notNullable();
    table.text('value').notNullable();
    table.string('fetched_at', 30).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('insights_cache');
  await knex.schema.dropTable('insights_events');
};
