import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  eventually,
  freePort,
  RunningBackend,
  startBackend,
} from './__testUtils__/runBackend';

// A golden path whose backend is killed (SIGKILL) in the middle of "Register in the
// catalog", and a new backend on the same data: the task resumes and ends with one
// repository, one commit, one catalog entity and one scaffold counted.

jest.setTimeout(420_000);

const EMBEDDED = ['../../app-config.yaml'];
const NAME = 'recovered-orders';

type TaskEvent = {
  type: string;
  body: { message?: string; stepId?: string; status?: string };
};

describe('a golden path killed during a step', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-recovery-'));
  const workDir = path.join(dataDir, 'work');
  let backend: RunningBackend | undefined;
  let port: number;

  const env = () => ({
    NODE_ENV: 'development',
    PORTAL_DATA_DIR: dataDir,
    APP_CONFIG_app_baseUrl: `http://localhost:${port}`,
    // what a pod keeps across a container restart: its mounted work directory
    APP_CONFIG_backend_workingDirectory: workDir,
    APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
    APP_CONFIG_backend_listen_port: String(port),
    // take a task for stranded after 2 s without a heartbeat instead of 30 s
    APP_CONFIG_scaffolder_taskRecovery_staleTimeout_seconds: '2',
  });

  async function guestToken(): Promise<string> {
    const res = await fetch(
      `${backend!.baseUrl}/api/auth/guest/refresh?env=development`,
    );
    const session = (await res.json()) as {
      backstageIdentity: { token: string };
    };
    return session.backstageIdentity.token;
  }

  async function api<T>(
    route: string,
    token: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${backend!.baseUrl}/api/${route}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  beforeAll(async () => {
    fs.mkdirSync(workDir);
    port = await freePort();
    backend = await startBackend({
      port,
      configs: EMBEDDED,
      timeoutMs: 180_000,
      env: env(),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after a restart and completes once', async () => {
    let token = await guestToken();
    await eventually(
      async () => {
        const { body } = await api<{ items: unknown[] }>(
          'catalog/entities/by-query?filter=kind=template,metadata.name=http-service',
          token,
        );
        return body.items.length === 1 ? true : undefined;
      },
      90_000,
      'the golden path in the catalog',
    );
    const created = await api<{ id: string }>('scaffolder/v2/tasks', token, {
      method: 'POST',
      body: {
        templateRef: 'template:default/http-service',
        values: {
          name: NAME,
          description: 'Takes orders, even across restarts',
          language: 'node',
          owner: 'group:default/payments-team',
          system: 'system:default/payments',
          costCenter: 'CC-1001',
          onCall: 'PABC123',
          lifecycle: 'experimental',
          repoUrl: `github.com?owner=paved-road-demo&repo=${NAME}`,
        },
      },
    });
    expect(created.status).toBe(201);
    const taskId = created.body.id;

    // kill the backend as soon as the registration step has started
    await eventually(
      async () => {
        const { body } = await api<TaskEvent[]>(
          `scaffolder/v2/tasks/${taskId}/events`,
          token,
        );
        return body.some(
          e => e.body.stepId === 'register' && e.body.status === 'processing',
        )
          ? true
          : undefined;
      },
      120_000,
      'the registration step to start',
    );
    await backend!.kill();

    backend = await startBackend({
      port,
      configs: EMBEDDED,
      timeoutMs: 180_000,
      env: env(),
    });
    token = await guestToken();

    const status = await eventually(
      async () => {
        const { body } = await api<{ status: string }>(
          `scaffolder/v2/tasks/${taskId}`,
          token,
        );
        return ['completed', 'failed', 'cancelled'].includes(body.status)
          ? body.status
          : undefined;
      },
      180_000,
      'the recovered task to end',
    );
    const { body: events } = await api<TaskEvent[]>(
      `scaffolder/v2/tasks/${taskId}/events`,
      token,
    );
    const log = events.map(e => e.body.message ?? '').join('\n');
    expect({ status, log: status === 'completed' ? '' : log }).toEqual({
      status: 'completed',
      log: '',
    });
    expect(log).toContain(
      'Task recovered - resuming from last known good state',
    );

    // one repository, with one commit
    const reposDir = path.join(dataDir, 'repos', 'paved-road-demo');
    expect(fs.readdirSync(reposDir)).toEqual([NAME]);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', path.join(reposDir, NAME), ...args], {
        encoding: 'utf8',
      }).trim();
    expect(git('rev-list', '--count', 'HEAD')).toBe('1');
    expect(git('log', '-1', '--format=%B')).toContain(
      `Paved-Road-Task: ${taskId}`,
    );

    // one entity, from that repository
    const { body: entities } = await api<{
      items: Array<{ metadata: { annotations: Record<string, string> } }>;
    }>(
      `catalog/entities/by-query?filter=kind=component,metadata.name=${NAME}`,
      token,
    );
    expect(entities.items).toHaveLength(1);
    expect(
      entities.items[0].metadata.annotations[
        'backstage.io/managed-by-location'
      ],
    ).toBe(`file:${path.join(reposDir, NAME, 'catalog-info.yaml')}`);

    // and one scaffold counted this week
    const { body: figures } = await api<{
      weeks: Array<{ scaffolds: { count: number } }>;
    }>('insights/figures?weeks=1', token);
    expect(figures.weeks[0].scaffolds.count).toBe(1);
  });
});
