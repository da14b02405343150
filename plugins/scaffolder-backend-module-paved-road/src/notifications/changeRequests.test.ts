import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { JsonObject } from '@backstage/types';
import { createInfraRequestAction } from '../actions/infraRequest';
import { readPavedRoadConfig } from '../config';
import { captureLogger } from '../__testUtils__/captureLogger';
import { publishOptions } from '../__testUtils__/pavedRoadOptions';
import { writeFiles } from '../__testUtils__/portalContext';
import { ChangeRequestNotifier } from './changeRequests';

jest.setTimeout(60_000);

const USER = 'user:default/jane.doe';
const SOURCE =
  'git::https://github.com/paved-road-demo/portal.git//terraform/modules';

const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      'github.com/project-slug': 'paved-road-demo/orders-api',
      'cost-center': 'CC-1001',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
};

/** The notifications backend as this module sees it: keeps what it is asked to send. */
function notifications(sent: NotificationSendOptions[], down = false) {
  const service: NotificationService = {
    async send(options) {
      if (down) {
        throw new Error(
          'Failed to send notifications: TypeError: fetch failed',
        );
      }
      sent.push(options);
    },
  };
  return service;
}

describe('portal:infra:request tells the owning team', () => {
  let root: string;
  let config: ConfigReader;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-notify-'));
    config = new ConfigReader({
      pavedRoad: {
        publish: {
          target: 'local',
          local: { directory: path.join(root, 'repos') },
        },
        terraform: {
          modules: { database: { source: `${SOURCE}/database?ref=main` } },
        },
      },
      scaffolder: {
        defaultAuthor: { name: 'Portal Bot', email: 'bot@acme.example' },
      },
    });
    const source = path.join(root, 'render');
    writeFiles(source, {
      'README.md': '# orders-api\n',
      'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: orders-api\n',
    });
    await publishOptions(config).host.createRepository({
      repo: {
        host: 'github.com',
        owner: 'paved-road-demo',
        name: 'orders-api',
      },
      sourceDir: source,
      logger: mockServices.logger.mock(),
    });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function run(notifier: ChangeRequestNotifier, taskId = 'task-1') {
    const workspacePath = path.join(root, 'workspace');
    fs.mkdirSync(workspacePath, { recursive: true });
    const outputs: Record<string, unknown> = {};
    const ctx = {
      ...createMockActionContext({
        input: {
          entityRef: 'component:default/orders-api',
          kind: 'database',
          environment: 'production',
        } as JsonObject,
        workspacePath,
        user: { ref: USER },
        task: { id: taskId },
      }),
      output: (name: string | number | symbol, value: unknown) => {
        outputs[String(name)] = value;
      },
    };
    await createInfraRequestAction({
      host: publishOptions(config).host,
      catalog: catalogServiceMock({ entities: [ordersApi] }),
      modules: readPavedRoadConfig(config).terraform.modules,
      notifier,
    }).handler(ctx as never);
    return outputs;
  }

  it('once per request opened, linking where to review it', async () => {
    const sent: NotificationSendOptions[] = [];
    const notifier = ChangeRequestNotifier.create({
      notifications: notifications(sent),
      logger: captureLogger().logger,
    });
    const opened = await run(notifier);
    expect(opened.created).toBe(true);
    const url = String(opened.url);
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'group:default/payments-team',
        },
        payload: expect.objectContaining({
          title: 'Infra pull request for orders-api',
          // a browser cannot open a file:// repository: the service's page instead
          link: /^https?:/.test(url)
            ? url
            : '/catalog/default/component/orders-api',
          topic: 'paved-road',
          scope: `paved-road:change:${url}`,
        }),
      },
    ]);
    expect(sent[0].payload.description).toContain('requested by jane.doe');

    // the same request again opens nothing, and tells nobody again
    const again = await run(notifier, 'task-2');
    expect(again.created).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('opens the request when the notifications backend is down, and logs it', async () => {
    const { logger, lines } = captureLogger();
    const opened = await run(
      ChangeRequestNotifier.create({
        notifications: notifications([], true),
        logger,
      }),
    );
    expect(opened.created).toBe(true);
    expect(opened.branch).toBe('infra/database-production');
    expect(lines).toContainEqual(
      expect.stringContaining(
        'warn Could not send the notification of the infra pull request',
      ),
    );
  });
});
