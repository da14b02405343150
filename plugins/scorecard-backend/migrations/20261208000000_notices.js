// @ts-check

/**
 * The notifications the scorecard has sent about an exemption ending (`<id>:expiring`,
 * `<id>:expired`): a row is claimed before sending, so each goes out once whatever the
 * number of replicas, and released when the sending failed, so the next sweep retries.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scorecard_notices', table => {
    table.string('notice', 255).primary().notNullable();
    table.string('sent_at', 64).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_notices');
};
