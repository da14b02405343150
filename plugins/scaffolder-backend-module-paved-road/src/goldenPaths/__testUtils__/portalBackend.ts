import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModulePavedRoad from '@internal/plugin-catalog-backend-module-paved-road';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { parse } from 'yaml';
import { scaffolderModulePavedRoad } from '../../module';

/** The repository root: templates/, skeletons/ and catalog/ live there. */
export const REPO_ROOT = path.resolve(__dirname, '../../../../..');

export const TEMPLATES = ['http-service', 'background-worker'] as const;
export const LANGUAGES = ['node', 'go'] as const;
/** Templates started from an existing service. */
export const SELF_SERVICE_TEMPLATES = [
  'request-database',
  'request-queue',
  'request-bucket',
  'rotate-secret',
  'upgrade-service',
] as const;

/** The Terraform modules of the embedded defaults, as app-config.yaml registers them. */
export function appConfigTerraformModules(): JsonObject {
  const appConfig = parse(
    fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
  );
  return appConfig.pavedRoad.terraform.modules;
}

type Server = Awaited<ReturnType<typeof startTestBackend>>['server'];

export type GoldenPathBackend = {
  server: Server;
  /** Where `portal:repo:publish` creates repositories. */
  reposDir: string;
  close(): Promise<void>;
};

/**
 * A backend with the real catalog and scaffolder plus our modules, on the embedded
 * defaults' shape: templates and the sample organization from the repository, local
 * publishing into a temporary directory. Waits until the templates are in the catalog.
 */
export async function startGoldenPathBackend(
  options: {
    /** Added to the config; `pavedRoad` is merged key by key. */
    config?: JsonObject;
    /** More features, such as service factories that capture logs. */
    features?: Parameters<typeof startTestBackend>[0]['features'];
  } = {},
): Promise<GoldenPathBackend> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-paths-'));
  const reposDir = path.join(dataDir, 'repos');
  fs.mkdirSync(path.join(dataDir, 'work'));
  const testBackend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleTemplateKind,
      catalogModulePavedRoad,
      scaffolderPlugin,
      scaffolderModulePavedRoad,
      mockServices.rootConfig.factory({
        data: {
          backend: { workingDirectory: path.join(dataDir, 'work') },
          // as app-config.yaml: tasks resume after a restart
          scaffolder: { taskRecovery: { enabled: true } },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'Domain',
                  'Group',
                  'User',
                  'Location',
                  'Template',
                ],
              },
            ],
            locations: [
              ...[...TEMPLATES, ...SELF_SERVICE_TEMPLATES].map(t => ({
                type: 'file',
                target: path.join(REPO_ROOT, 'templates', t, 'template.yaml'),
              })),
              {
                type: 'file',
                target: path.join(REPO_ROOT, 'catalog/all.yaml'),
              },
            ],
          },
          ...options.config,
          pavedRoad: {
            skeletons: { location: path.join(REPO_ROOT, 'skeletons') },
            publish: { target: 'local', local: { directory: reposDir } },
            terraform: { modules: appConfigTerraformModules() },
            ...(options.config?.pavedRoad as JsonObject | undefined),
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });

  const { server } = testBackend;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: 'kind=template' })
      .set('Authorization', mockCredentials.user.header());
    if (
      res.status === 200 &&
      res.body.items.length === TEMPLATES.length + SELF_SERVICE_TEMPLATES.length
    ) {
      break;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `templates not in the catalog: ${JSON.stringify(res.body)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  return {
    server,
    reposDir,
    close: async () => {
      await testBackend.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TaskResult = {
  id: string;
  status: string;
  log: string;
  output: any;
  /** Every event of the task, as the scaffolder API returns them. */
  events: unknown[];
};

/** Expects the task to have completed; when it did not, the failure shows its log. */
export function expectCompleted(task: TaskResult) {
  expect({
    status: task.status,
    log: task.status === 'completed' ? '' : task.log,
  }).toEqual({ status: 'completed', log: '' });
}

/** Runs a template as a real task and waits for it to end. */
export async function runTemplate(
  server: Server,
  template: string,
  values: Record<string, unknown>,
): Promise<TaskResult> {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', mockCredentials.user.header())
    .send({ templateRef: `template:default/${template}`, values });
  if (created.status !== 201) {
    throw new Error(
      `task not created: ${created.status} ${JSON.stringify(created.body)}`,
    );
  }
  return waitForTask(server, created.body.id as string);
}

/** Waits for a task (new, or retried) to end; its log and output. */
export async function waitForTask(
  server: Server,
  id: string,
): Promise<TaskResult> {
  let status = 'open';
  const deadline = Date.now() + 120_000;
  while (!['completed', 'failed', 'cancelled'].includes(status)) {
    if (Date.now() > deadline) {
      throw new Error(`task ${id} still ${status}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
    status = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', mockCredentials.user.header())
    ).body.status;
  }
  const events = (
    await request(server)
      .get(`/api/scaffolder/v2/tasks/${id}/events`)
      .set('Authorization', mockCredentials.user.header())
  ).body as Array<{
    type: string;
    body: { message?: string; output?: unknown };
  }>;
  return {
    id,
    status,
    log: events.map(e => e.body.message ?? '').join('\n'),
    output: events.find(e => e.type === 'completion')?.body.output,
    events,
  };
}

/** Form values a developer would enter, for one template and language. */
export function formValues(template: string, language: string) {
  const name = `${
    template === 'http-service' ? 'orders' : 'ledger'
  }-${language}`;
  return {
    name,
    description: `Golden path test: ${template} in ${language} "quoted" & <tagged>`,
    language,
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    costCenter: 'CC-1001',
    onCall: 'PABC123',
    lifecycle: 'experimental',
    repoUrl: `github.com?owner=paved-road-demo&repo=${name}`,
  };
}
