import { Entity } from '@backstage/catalog-model';
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import {
  EntityScorecardResponse,
  ScorecardOverview,
} from '@internal/plugin-scorecard-common';
import request from 'supertest';
import { sampleCatalog } from './__testUtils__/sampleCatalog';
import {
  as,
  developer,
  startScorecardOn,
} from './__testUtils__/scorecardBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// No default rule applies to a website: they are written for Components of type service.
const website: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'marketing-site', namespace: 'default' },
  spec: {
    type: 'website',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
    system: 'payments',
  },
};

describe.each(databases.eachSupportedId())(
  'entities no rule applies to, on %s',
  id => {
    let server: Awaited<ReturnType<typeof startScorecardOn>>;
    beforeAll(async () => {
      server = await startScorecardOn(
        await databases.init(id),
        {},
        [],
        [...sampleCatalog, website],
      );
    });

    const get = (path: string) =>
      request(server)
        .get(`/api/scorecard${path}`)
        .set('authorization', as(developer));

    it('are reported as such: no level, no next level with nothing missing', async () => {
      for (const path of [
        '/entities/component/default/marketing-site',
        '/entities/component/default/marketing-site?refresh=true&history=true',
        '/entities/group/default/payments-team',
      ]) {
        const res = await get(path);
        expect([path, res.status]).toEqual([path, 200]);
        const body: EntityScorecardResponse = res.body;
        expect(body).toMatchObject({ applicable: false, results: [] });
        expect(body.level).toBeUndefined();
        expect(body.nextLevel).toBeUndefined();
      }
      const service = await get(
        '/entities/component/default/fraud-rules-engine',
      );
      expect(service.body).toMatchObject({
        applicable: true,
        level: 'bronze',
        nextLevel: { id: 'silver' },
      });
    });

    it('are left out of the overview, the levels and the trend', async () => {
      // asked for first, so an evaluation on request could not have stored it
      await get('/entities/component/default/marketing-site');
      const overview: ScorecardOverview = (await get('/overview')).body;
      expect(overview.entities).toBe(7);
      const { levels, unranked } = overview.distribution;
      expect(Object.values(levels).reduce((a, b) => a + b, 0) + unranked).toBe(
        7,
      );
      const payments = overview.owners.find(
        o => o.ref === 'group:default/payments-team',
      );
      expect(payments?.entities).toBe(2);
      expect(overview.trend[0].entities).toBe(7);
      const items: Array<{ entityRef: string }> = (await get('/levels')).body
        .items;
      expect(items.map(i => i.entityRef)).not.toContain(
        'component:default/marketing-site',
      );
      expect(items).toHaveLength(7);
    });

    it('need no exemption, and the gate has nothing to hold them to', async () => {
      const exemption = await request(server)
        .post('/api/scorecard/exemptions')
        .set('authorization', as(developer))
        .send({
          entityRef: 'component:default/marketing-site',
          ruleId: 'runbook',
          reason: 'The site has no on-call runbook yet',
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          riskSignoff: 'Rita Risk',
        });
      expect(exemption.status).toBe(400);
      expect(exemption.body.error.message).toContain('does not apply');
      const gate = await request(server)
        .get('/api/scorecard/gate/component/default/marketing-site')
        .set('authorization', mockCredentials.service.header());
      expect(gate.body).toMatchObject({ result: 'pass', violations: [] });
      expect(gate.body.level).toBeUndefined();
    });
  },
);
