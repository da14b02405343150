import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  eventually,
  freePort,
  RunningBackend,
  startBackend,
} from './__testUtils__/runBackend';

// The real backend on the embedded defaults (SQLite, guest), with the notifications and
// signals backends: a task the guest starts fails, and the guest is told, in their list
// and live over the signals WebSocket the sidebar listens on.

jest.setTimeout(240_000);

type Notification = {
  id: string;
  user: string;
  payload: {
    title: string;
    description?: string;
    link?: string;
    scope?: string;
  };
};

describe('notifications on the embedded defaults', () => {
  let backend: RunningBackend | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-it-notify-'));
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    backend = await startBackend({
      port,
      configs: ['../../app-config.yaml'],
      timeoutMs: 150_000,
      env: {
        NODE_ENV: 'development',
        PORTAL_DATA_DIR: dataDir,
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: baseUrl,
        APP_CONFIG_app_baseUrl: baseUrl,
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('tells the guest, live, that a task they started failed, with a link to the task', async () => {
    const baseUrl = backend!.baseUrl;
    const refresh = await fetch(
      `${baseUrl}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    expect(refresh.status).toBe(200);
    const { token } = (
      (await refresh.json()) as {
        backstageIdentity: { token: string };
      }
    ).backstageIdentity;
    const auth = { Authorization: `Bearer ${token}` };

    // What the sidebar does: a WebSocket to the signals backend, channel notifications.
    const signals: unknown[] = [];
    const socket = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/api/signals`,
      token,
    );
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () =>
        reject(new Error('the signals WebSocket did not open')),
      );
    });
    socket.addEventListener('message', event => {
      signals.push(JSON.parse(String(event.data)));
    });
    socket.send(
      JSON.stringify({ action: 'subscribe', channel: 'notifications' }),
    );

    try {
      // payments-api was not created by a golden path here: the request fails in its step
      // the template is there once the catalog has read the templates after startup
      const taskId = await eventually(
        async () => {
          const res = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
            method: 'POST',
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({
              templateRef: 'template:default/request-database',
              values: {
                service: 'component:default/payments-api',
                environment: 'development',
                size: 'small',
              },
            }),
          });
          if (res.status === 404) {
            await res.text();
            return undefined;
          }
          expect(res.status).toBe(201);
          return ((await res.json()) as { id: string }).id;
        },
        90_000,
        'the request-database template',
      );

      // the job runs 20 s after startup, then every 30 s
      const told = await eventually(
        async () => {
          const res = await fetch(`${baseUrl}/api/notifications`, {
            headers: auth,
          });
          const body = (await res.json()) as { notifications: Notification[] };
          return body.notifications.length > 0 ? body.notifications : undefined;
        },
        120_000,
        'the failed task to be told',
      );
      expect(told).toEqual([
        expect.objectContaining({
          user: 'user:development/guest',
          payload: expect.objectContaining({
            title: 'Task failed: Request a managed database',
            link: `/create/tasks/${taskId}`,
            scope: `paved-road:task:${taskId}`,
          }),
        }),
      ]);
      expect(told[0].payload.description).toContain(
        'payments-api has no repository on this portal',
      );
      const status = await fetch(`${baseUrl}/api/notifications/status`, {
        headers: auth,
      });
      expect(await status.json()).toEqual({ unread: 1, read: 0 });
      expect(signals).toContainEqual({
        channel: 'notifications',
        message: { action: 'new_notification', notification_id: told[0].id },
      });
    } finally {
      socket.close();
    }
  });
});
