import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { Knex } from 'knex';
import request from 'supertest';
import { as, developer, platform } from './__testUtils__/scorecardBackend';
import { sampleCatalog } from './__testUtils__/sampleCatalog';
import scorecardPlugin from './index';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ENTITY = 'component:default/fraud-rules-engine';
const DAY = 86_400_000;

/**
 * The notifications backend as the scorecard sees it: the `notificationService` of
 * notifications-node, here keeping what it is asked to send, or failing like a
 * notifications backend that is down.
 */
function notifications(
  sent: NotificationSendOptions[],
  down = false,
  attempts: NotificationSendOptions[] = [],
) {
  return createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(options: NotificationSendOptions) {
        attempts.push(options);
        if (down) {
          throw new Error(
            'Failed to send notifications: TypeError: fetch failed (connect ECONNREFUSED 127.0.0.1:7007)',
          );
        }
        sent.push(options);
      },
    }),
  });
}

function warnings() {
  const lines: string[] = [];
  const logger = mockServices.logger.mock({
    warn: (message: string) => {
      lines.push(message);
    },
  });
  logger.child.mockImplementation(() => logger);
  return { lines, factory: logger.factory };
}

/** One replica of the scorecard on `knex`; its sweep runs once while it starts. */
async function startReplica(
  knex: Knex,
  sent: NotificationSendOptions[],
  options: {
    down?: boolean;
    catalog?: Entity[];
    logger?: ReturnType<typeof warnings>;
    attempts?: NotificationSendOptions[];
  } = {},
) {
  const { server } = await startTestBackend({
    features: [
      scorecardPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: { scorecard: {} } }),
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      catalogServiceMock.factory({
        entities: options.catalog ?? sampleCatalog,
      }),
      notifications(sent, options.down, options.attempts),
      ...(options.logger ? [options.logger.factory] : []),
    ],
  });
  return server;
}

async function requestExemption(
  server: Awaited<ReturnType<typeof startReplica>>,
  expiresInDays: number,
) {
  const answer = await request(server)
    .post('/api/scorecard/exemptions')
    .set('authorization', as(developer))
    .send({
      entityRef: ENTITY,
      ruleId: 'on-call',
      reason: 'On-call rotation starts with the new team in January',
      expiresAt: new Date(Date.now() + expiresInDays * DAY).toISOString(),
      riskSignoff: 'Rita Risk, head of risk engineering',
    });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

describe.each(databases.eachSupportedId())('notifications on %s', id => {
  it('tells the requester about the approval, with a link to the Scorecard tab', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    const server = await startReplica(knex, sent);
    const exemptionId = await requestExemption(server, 30);
    expect(sent).toEqual([]);

    const approved = await request(server)
      .post(`/api/scorecard/exemptions/${exemptionId}/approve`)
      .set('authorization', as(platform))
      .send({ comment: 'Fine until January' });
    expect(approved.status).toBe(200);

    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: developer },
        payload: expect.objectContaining({
          title: 'Exemption approved: On-call rotation on fraud-rules-engine',
          link: '/catalog/default/component/fraud-rules-engine/scorecard',
          topic: 'scorecard',
          scope: `scorecard:exemption:${exemptionId}`,
        }),
      },
    ]);
    expect(sent[0].payload.description).toContain(
      'Comment: Fine until January',
    );
  });

  it('tells the requester about a rejection under the same scope as any later news', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    const server = await startReplica(knex, sent);
    const exemptionId = await requestExemption(server, 30);
    const rejected = await request(server)
      .post(`/api/scorecard/exemptions/${exemptionId}/reject`)
      .set('authorization', as(platform))
      .send({ comment: 'Fix the on-call rotation instead' });
    expect(rejected.status).toBe(200);
    expect(sent.map(s => [s.payload.title, s.payload.severity])).toEqual([
      ['Exemption rejected: On-call rotation on fraud-rules-engine', 'high'],
    ]);
    expect(sent[0].payload.scope).toBe(`scorecard:exemption:${exemptionId}`);
  });

  it('approves when the notifications backend is down, and logs why nobody was told', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    const logger = warnings();
    const server = await startReplica(knex, sent, { down: true, logger });
    const exemptionId = await requestExemption(server, 30);
    const approved = await request(server)
      .post(`/api/scorecard/exemptions/${exemptionId}/approve`)
      .set('authorization', as(platform))
      .send({});
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const [row] = await knex('scorecard_exemptions').where({ id: exemptionId });
    expect(row.status).toBe('approved');
    expect(logger.lines).toContainEqual(
      expect.stringContaining(
        `Could not send the notification of exemption ${exemptionId} approved: Failed to send notifications`,
      ),
    );
  });

  it('warns the owner and the requester once of an exemption expiring within 7 days, across two replicas', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    const first = await startReplica(knex, sent);
    const exemptionId = await requestExemption(first, 3);
    await request(first)
      .post(`/api/scorecard/exemptions/${exemptionId}/approve`)
      .set('authorization', as(platform))
      .send({});
    sent.length = 0;

    // Two replicas start together; each sweeps once while starting.
    await Promise.all([startReplica(knex, sent), startReplica(knex, sent)]);
    // And a later sweep has nothing new to say.
    await startReplica(knex, sent);

    const expiring = sent.filter(s =>
      s.payload.title.startsWith('Exemption expiring'),
    );
    expect(expiring).toHaveLength(1);
    expect(expiring[0]).toEqual({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/risk-team', developer],
      },
      payload: expect.objectContaining({
        title: 'Exemption expiring: On-call rotation on fraud-rules-engine',
        link: '/catalog/default/component/fraud-rules-engine/scorecard',
        scope: `scorecard:exemption:${exemptionId}`,
      }),
    });
  });

  it('tells once that an exemption expired, and tries again after a failed sending', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    await startReplica(knex, sent);
    const now = Date.now();
    await knex('scorecard_exemptions').insert({
      id: 'expired-yesterday',
      entity_ref: ENTITY,
      rule_id: 'on-call',
      reason: 'Rotation being set up',
      risk_signoff: 'Rita Risk',
      expires_at: new Date(now - DAY).toISOString(),
      status: 'approved',
      requested_by: developer,
      requested_at: new Date(now - 20 * DAY).toISOString(),
      decided_by: platform,
      decided_at: new Date(now - 19 * DAY).toISOString(),
    });
    await knex('scorecard_exemptions').insert({
      id: 'expired-last-month',
      entity_ref: ENTITY,
      rule_id: 'on-call',
      reason: 'Rotation being set up',
      risk_signoff: 'Rita Risk',
      expires_at: new Date(now - 30 * DAY).toISOString(),
      status: 'approved',
      requested_by: developer,
      requested_at: new Date(now - 60 * DAY).toISOString(),
    });

    await startReplica(knex, sent, { down: true });
    expect(sent).toEqual([]);
    await startReplica(knex, sent);
    await startReplica(knex, sent);

    expect(sent.map(s => [s.payload.title, s.payload.scope])).toEqual([
      [
        'Exemption expired: On-call rotation on fraud-rules-engine',
        'scorecard:exemption:expired-yesterday',
      ],
    ]);
  });

  it('tells the owning team when a service drops a level, once per drop', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    await startReplica(knex, sent);
    expect(sent).toEqual([]);

    // payments-api loses its on-call annotation.
    const withoutOnCall = sampleCatalog.map(entity => {
      if (entity.metadata.name !== 'payments-api') {
        return entity;
      }
      const annotations = { ...entity.metadata.annotations };
      delete annotations['pagerduty/service-id'];
      return { ...entity, metadata: { ...entity.metadata, annotations } };
    });
    await startReplica(knex, sent, { catalog: withoutOnCall });
    await startReplica(knex, sent, { catalog: withoutOnCall });

    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'group:default/payments-team',
        },
        payload: expect.objectContaining({
          title: 'payments-api dropped from Gold to Bronze',
          link: '/catalog/default/component/payments-api/scorecard',
          severity: 'high',
          scope: 'scorecard:level:component:default/payments-api',
        }),
      },
    ]);
    expect(sent[0].payload.description).toContain('Failing: On-call rotation');
  });

  it('tries one level drop per sweep while the notifications backend is down, not one per service', async () => {
    const knex = await databases.init(id);
    const sent: NotificationSendOptions[] = [];
    await startReplica(knex, sent);

    // payments-api and ledger-worker both lose their on-call annotation.
    const withoutOnCall = sampleCatalog.map(entity => {
      if (!['payments-api', 'ledger-worker'].includes(entity.metadata.name)) {
        return entity;
      }
      const annotations = { ...entity.metadata.annotations };
      delete annotations['pagerduty/service-id'];
      return { ...entity, metadata: { ...entity.metadata, annotations } };
    });
    const attempts: NotificationSendOptions[] = [];
    const logger = warnings();
    await startReplica(knex, sent, {
      down: true,
      catalog: withoutOnCall,
      attempts,
      logger,
    });

    expect(attempts).toHaveLength(1);
    expect(logger.lines).toEqual([
      expect.stringMatching(
        /^Could not send the notification of level drop of component:default\/(payments-api|ledger-worker): /,
      ),
    ]);
    expect(sent).toEqual([]);
  });
});
