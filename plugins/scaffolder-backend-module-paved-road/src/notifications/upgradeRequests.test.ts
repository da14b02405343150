import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { createTemplateUpgradeAction } from '../actions/templateUpgrade';
import { captureLogger } from '../__testUtils__/captureLogger';
import { portalContext } from '../__testUtils__/portalContext';
import { upgradeFixture } from '../__testUtils__/upgradeFixture';
import { ChangeRequestNotifier } from './changeRequests';

// portal:template:upgrade on a real upgrade (the fixture's portal history and service
// repository), with the owning team told through ChangeRequestNotifier.

jest.setTimeout(60_000);

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme/orders' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
};

describe('portal:template:upgrade tells the owning team', () => {
  let fixture: Awaited<ReturnType<typeof upgradeFixture>>;

  beforeEach(async () => {
    fixture = await upgradeFixture({
      template: 'tiny-service',
      skeletons: {
        service: {
          Dockerfile: 'FROM node:22-alpine\nUSER node\n',
          'catalog-info.yaml': 'metadata:\n  name: ${{ values.name }}\n',
        },
      },
    });
    await fixture.scaffold(
      { host: 'github.com', owner: 'acme', name: 'orders' },
      { name: 'orders' },
      ['service'],
    );
    fixture.commitPortal(
      {
        'skeletons/service/Dockerfile': 'FROM node:22.12-alpine\nUSER node\n',
      },
      2,
    );
  });
  afterEach(() => fixture.cleanup());

  it('once per upgrade opened, linking where to review it', async () => {
    const sent: NotificationSendOptions[] = [];
    const notifications: NotificationService = {
      async send(options) {
        sent.push(options);
      },
    };
    const action = createTemplateUpgradeAction({
      engine: fixture.engine,
      catalog: catalogServiceMock({ entities: [orders] }),
      notifier: ChangeRequestNotifier.create({
        notifications,
        logger: captureLogger().logger,
      }),
    });
    const run = async (taskId: string) => {
      const { ctx, outputs } = portalContext({
        input: { entityRef: 'component:default/orders' },
        workspacePath: fs.mkdtempSync(path.join(fixture.root, 'ws-')),
        taskId,
        temporaryRoot: fixture.root,
      });
      await action.handler(ctx);
      return outputs;
    };

    const first = await run('task-1');
    expect(first.created).toBe(true);
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'group:default/payments-team',
        },
        payload: expect.objectContaining({
          title: 'Upgrade pull request for orders',
          // a browser cannot open a file:// repository: the service's page instead
          link: /^https?:/.test(String(first.url))
            ? first.url
            : '/catalog/default/component/orders',
          scope: `paved-road:change:${first.url}`,
        }),
      },
    ]);
    expect(sent[0].payload.description).toContain(
      'Upgrade orders to tiny-service version 2',
    );

    // asked again by another task: nothing new is opened, nobody is told again
    const again = await run('task-2');
    expect(again.created).toBe(false);
    expect(sent).toHaveLength(1);
  });
});
