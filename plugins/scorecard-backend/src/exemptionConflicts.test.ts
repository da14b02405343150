import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  as,
  developer,
  platform,
  startScorecardOn,
} from './__testUtils__/scorecardBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ENTITY = 'component:default/fraud-rules-engine';

const body = (ruleId: string) => ({
  entityRef: ENTITY,
  ruleId,
  reason: 'On-call rotation starts with the new team in January',
  expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  riskSignoff: 'Rita Risk, head of risk engineering',
});

describe.each(databases.eachSupportedId())('exemption conflicts on %s', id => {
  it('leaves exactly one of 20 concurrent requests open; the others get 409 naming it', async () => {
    const knex = await databases.init(id);
    const server = await startScorecardOn(knex);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(server)
          .post('/api/scorecard/exemptions')
          .set('authorization', as(`user:default/dev-${i}`))
          .send(body('on-call')),
      ),
    );
    const created = answers.filter(a => a.status === 201);
    const refused = answers.filter(a => a.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const openId = created[0].body.id;
    for (const answer of refused) {
      expect(answer.body.error.message).toContain(
        `is already requested (id ${openId},`,
      );
    }
    const stored = await knex('scorecard_exemptions').where({
      entity_ref: ENTITY,
      rule_id: 'on-call',
    });
    expect(stored.map(row => [row.id, row.status])).toEqual([
      [openId, 'requested'],
    ]);
  });

  it('does not approve a request recorded beside a running exemption from the same rule', async () => {
    const knex = await databases.init(id);
    const server = await startScorecardOn(knex);
    const first = await request(server)
      .post('/api/scorecard/exemptions')
      .set('authorization', as(developer))
      .send(body('runbook'));
    expect(first.status).toBe(201);
    const approved = await request(server)
      .post(`/api/scorecard/exemptions/${first.body.id}/approve`)
      .set('authorization', as(platform))
      .send({});
    expect(approved.status).toBe(200);
    // What a request racing that approval could leave: stored while the check looked away.
    await knex('scorecard_exemptions').insert({
      id: 'raced',
      entity_ref: ENTITY,
      rule_id: 'runbook',
      reason: 'A second request for the same rule',
      risk_signoff: 'Rita Risk',
      expires_at: body('runbook').expiresAt,
      status: 'requested',
      requested_by: developer,
      requested_at: new Date().toISOString(),
    });
    const second = await request(server)
      .post('/api/scorecard/exemptions/raced/approve')
      .set('authorization', as(platform))
      .send({});
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(
      `is already approved (id ${first.body.id},`,
    );
  });
});
