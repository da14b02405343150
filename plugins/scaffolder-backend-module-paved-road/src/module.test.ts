import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { scaffolderModulePavedRoad } from './module';

// The module in a real scaffolder: a template that uses all three actions runs as a task.

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'paved-road-actions', namespace: 'default' },
  spec: {
    owner: 'group:default/platform',
    type: 'service',
    parameters: [
      {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' } },
      },
    ],
    steps: [
      {
        id: 'argocd',
        name: 'Argo CD Application',
        action: 'argocd:app:create',
        input: {
          name: '${{ parameters.name }}',
          namespace: 'payments',
          repoUrl:
            'https://github.com/paved-road-demo/${{ parameters.name }}.git',
          owner: 'group:default/payments-team',
          costCenter: 'CC-1001',
          automatedSync: { prune: true, selfHeal: true },
        },
      },
      {
        id: 'terraform',
        name: 'Terraform stub',
        action: 'terraform:stub:create',
        input: {
          module: 'service-baseline',
          name: '${{ parameters.name }}',
          costCenter: 'CC-1001',
        },
      },
      {
        id: 'emit',
        name: 'Scaffold completed',
        action: 'portal:event:emit',
        input: {
          service: '${{ parameters.name }}',
          required: true,
          attributes: { language: 'node' },
        },
      },
      {
        id: 'list',
        name: 'List the workspace',
        action: 'debug:log',
        input: { listWorkspace: 'with-contents' },
      },
    ],
    output: {
      argocd: '${{ steps.argocd.output.path }}',
      terraform: '${{ steps.terraform.output.files }}',
      delivered: '${{ steps.emit.output.delivered }}',
    },
  },
};

type Received = { headers: http.IncomingHttpHeaders; body: any };

describe('scaffolderModulePavedRoad', () => {
  let receiver: http.Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let workingDirectory: string;

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>(resolve =>
      receiver.listen(0, '127.0.0.1', resolve),
    );
    receiverUrl = `http://127.0.0.1:${
      (receiver.address() as AddressInfo).port
    }/events`;
    workingDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffolder-'));
  });

  afterAll(async () => {
    await new Promise(resolve => receiver.close(resolve));
    fs.rmSync(workingDirectory, { recursive: true, force: true });
  });

  it('registers the three actions with the scaffolder', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePavedRoad,
        catalogServiceMock.factory({ entities: [template] }),
      ],
    });
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const ids = res.body.map((a: { id: string }) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'argocd:app:create',
        'terraform:stub:create',
        'portal:event:emit',
      ]),
    );
    for (const id of [
      'argocd:app:create',
      'terraform:stub:create',
      'portal:event:emit',
    ]) {
      const action = res.body.find((a: { id: string }) => a.id === id);
      expect(action.description).toEqual(expect.any(String));
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.schema.input.properties).toBeDefined();
    }
  });

  it('runs a template that uses all three actions to completion', async () => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePavedRoad,
        catalogServiceMock.factory({ entities: [template] }),
        mockServices.rootConfig.factory({
          data: {
            backend: { workingDirectory },
            pavedRoad: {
              terraform: {
                modules: {
                  'service-baseline': {
                    source:
                      'git::https://github.com/paved-road-demo/terraform-modules.git//service-baseline?ref=v1.0.0',
                  },
                },
              },
              events: { endpoint: receiverUrl, token: 'test-events-token' },
            },
          },
        }),
      ],
    });

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/paved-road-actions',
        values: { name: 'billing-api' },
      });
    expect(created.status).toBe(201);
    const taskId = created.body.id;

    let task: any;
    for (let i = 0; i < 100; i++) {
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('Authorization', mockCredentials.user.header())
      ).body;
      if (task.status === 'completed' || task.status === 'failed') break;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    const events = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set('Authorization', mockCredentials.user.header())
    ).body as Array<{
      type: string;
      body: { message?: string; output?: unknown };
    }>;
    const log = events.map(e => e.body.message ?? '').join('\n');
    expect({ status: task.status, log }).toEqual({
      status: 'completed',
      log: expect.any(String),
    });

    // the workspace listing of the last step shows what the actions wrote
    expect(log).toContain('argocd/app.yaml');
    expect(log).toContain('infra/main.tf');
    expect(log).toContain(
      'repoURL: https://github.com/paved-road-demo/billing-api.git',
    );

    expect(received).toHaveLength(1);
    expect(received[0].headers.authorization).toBe('Bearer test-events-token');
    expect(received[0].body).toMatchObject({
      name: 'scaffold.completed',
      service: 'billing-api',
      taskId,
      templateRef: 'template:default/paved-road-actions',
      attributes: { language: 'node' },
    });
    expect(received[0].body.duration_ms).toBeGreaterThanOrEqual(0);
    expect(log).not.toContain('test-events-token');
    const completion = events.find((e: any) => e.type === 'completion') as any;
    expect(completion.body.output).toEqual({
      argocd: 'argocd/app.yaml',
      terraform: expect.arrayContaining(['infra/main.tf']),
      delivered: true,
    });
  });
});
