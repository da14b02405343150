import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import scorecardPlugin from '@internal/plugin-scorecard-backend';
import { eventually } from './__testUtils__/runBackend';

// The scorecard with the real catalog and notifications backends on one test backend
// (signals need a WebSocket server, which a test backend has not; notifications.test.ts
// checks them on the real backend): an exemption decided by a platform engineer reaches the requester's
// notifications, and news about the same exemption updates that one notification.

jest.setTimeout(120_000);

const CATALOG_DIR = path.resolve(__dirname, '../../../../catalog');
const REQUESTER = 'user:default/paula.payments';
const APPROVER = 'user:default/pat.platform';
const ENTITY = 'component:default/fraud-rules-engine';

type Notification = {
  user: string;
  payload: { title: string; link?: string; scope?: string };
};

describe('exemption notifications through the real notifications backend', () => {
  it('tells the requester of the approval, then updates the same notification when it is revoked', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        scorecardPlugin,
        notificationsPlugin,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            catalog: {
              rules: [
                { allow: ['Component', 'System', 'Domain', 'Group', 'User'] },
              ],
              locations: ['org.yaml', 'domains.yaml', 'services.yaml'].map(
                file => ({
                  type: 'file',
                  target: path.join(CATALOG_DIR, file),
                }),
              ),
            },
          },
        }),
      ],
    });
    const address = server.address();
    const baseUrl = `http://localhost:${
      typeof address === 'object' && address ? address.port : 0
    }`;
    const as = (user: string) => ({
      Authorization: mockCredentials.user.header(user),
      'Content-Type': 'application/json',
    });
    const notificationsOf = async (user: string) => {
      const res = await fetch(`${baseUrl}/api/notifications/notifications`, {
        headers: as(user),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { notifications: Notification[] })
        .notifications;
    };

    // the catalog reads the sample organization first
    const exemptionId = await eventually(
      async () => {
        const res = await fetch(`${baseUrl}/api/scorecard/exemptions`, {
          method: 'POST',
          headers: as(REQUESTER),
          body: JSON.stringify({
            entityRef: ENTITY,
            ruleId: 'runbook',
            reason: 'Runbook moves to the risk wiki with the January re-org',
            expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
            riskSignoff: 'Rita Risk, head of risk engineering',
          }),
        });
        if (res.status === 404) {
          await res.text();
          return undefined;
        }
        expect(res.status).toBe(201);
        return ((await res.json()) as { id: string }).id;
      },
      60_000,
      'the catalog to hold fraud-rules-engine',
    );
    expect(await notificationsOf(REQUESTER)).toEqual([]);

    const approved = await fetch(
      `${baseUrl}/api/scorecard/exemptions/${exemptionId}/approve`,
      { method: 'POST', headers: as(APPROVER), body: '{}' },
    );
    expect(approved.status).toBe(200);
    expect(await notificationsOf(REQUESTER)).toEqual([
      expect.objectContaining({
        user: REQUESTER,
        payload: expect.objectContaining({
          title: 'Exemption approved: Runbook on fraud-rules-engine',
          link: '/catalog/default/component/fraud-rules-engine/scorecard',
          scope: `scorecard:exemption:${exemptionId}`,
        }),
      }),
    ]);
    expect(await notificationsOf(APPROVER)).toEqual([]);

    const revoked = await fetch(
      `${baseUrl}/api/scorecard/exemptions/${exemptionId}/revoke`,
      { method: 'POST', headers: as(APPROVER), body: '{}' },
    );
    expect(revoked.status).toBe(200);
    const after = await notificationsOf(REQUESTER);
    expect(after.map(n => n.payload.title)).toEqual([
      'Exemption revoked: Runbook on fraud-rules-engine',
    ]);
  });
});
