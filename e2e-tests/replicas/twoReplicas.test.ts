import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  APIRequestContext,
  Browser,
  expect,
  Page,
  test,
} from '@playwright/test';
import {
  fillOwnershipPage,
  fillRepositoryPage,
} from '../helpers/goldenPathForm';
import {
  PortalReplicas,
  startPortalReplicas,
  SWEEP_FREQUENCY_SECONDS,
} from './portalReplicas';

// The portal as the Deployment runs it: two replicas of the production artifact on one
// PostgreSQL, reached through one address that sends each request to the next replica
// (portalReplicas.ts). A person signs in with Okta, creates a service from a golden
// path, requests a database for it, asks for a scorecard exemption that the platform
// team approves, and reads Insights; then one replica is killed while it runs her
// next golden path.

test.describe.configure({ mode: 'serial' });

let portal: PortalReplicas;
let paula: Page;
const service = `orders-${Date.now().toString(36)}`;
const firstTasks: string[] = [];

test.beforeAll(async ({ browser }, testInfo) => {
  test.setTimeout(600_000);
  const port = Number(new URL(testInfo.project.use.baseURL!).port);
  portal = await startPortalReplicas({ proxyPort: port });
  paula = await signedInPage(browser, 'paula.payments@example.com');
});

test.afterAll(async ({}, testInfo) => {
  for (const replica of portal?.replicas.values() ?? []) {
    await testInfo.attach(`${replica.name}.log`, {
      body: replica.output(),
      contentType: 'text/plain',
    });
  }
  await paula?.context().close();
  await portal?.stop();
});

/** A new browser context signed in with Okta at the local IdP (any password). */
async function signedInPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await expect(page.getByText('Welcome to Paved Road')).toBeVisible();
  await expect(page.getByText('Okta', { exact: true })).toBeVisible();
  const popupOpened = page.waitForEvent('popup');
  // production offers Okta, then GitHub
  await page.getByRole('button', { name: 'Sign In' }).first().click();
  const popup = await popupOpened;
  await popup.getByLabel('Email').fill(email);
  await popup.getByLabel('Password').fill('any password will do');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  const popupClosed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Allow' }).click();
  await popupClosed;
  await expect(
    page.getByRole('link', { name: 'Create' }).first(),
  ).toBeVisible();
  return page;
}

/** Her Backstage token, as the app gets it: the Okta session cookie refreshed. */
async function tokenOf(page: Page): Promise<string> {
  const res = await page.request.get(
    '/api/auth/okta/refresh?optional&env=production',
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  expect(res.status()).toBe(200);
  return (await res.json()).backstageIdentity.token;
}

type Answer = { evaluatedAt?: string } & Record<string, unknown>;

async function api<T>(
  request: APIRequestContext,
  url: string,
  token: string,
): Promise<T> {
  const res = await request.get(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  expect([url, res.status(), res.status() === 200 ? '' : text]).toEqual([
    url,
    200,
    '',
  ]);
  return JSON.parse(text) as T;
}

/** Replicas that logged starting the task (the scaffolder's audit event). */
function runnersOf(taskId: string): string[] {
  return [...portal.replicas.values()]
    .filter(replica =>
      replica
        .lines()
        .some(
          ({ json }) =>
            json?.isAuditEvent === true &&
            json.eventId === 'task' &&
            json.status === 'initiated' &&
            JSON.stringify(json.meta ?? {}).includes(taskId),
        ),
    )
    .map(replica => replica.name);
}

async function scaffoldEvents(taskId: string): Promise<number> {
  const rows = await portal.database.query<{ count: string }>(
    `SELECT count(*) FROM insights.insights_events
      WHERE name = 'scaffold.completed' AND task_id = $1`,
    [taskId],
  );
  return Number(rows[0].count);
}

/** The files of a published repository's default branch. */
function repositoryFiles(name: string): string[] {
  const repo = path.join(portal.reposDir, 'paved-road-demo', name);
  return execFileSync(
    'git',
    ['-C', repo, 'ls-tree', '-r', '--name-only', 'HEAD'],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean)
    .sort();
}

/** Fills the HTTP service golden path and submits it; returns the task's id. */
async function createService(page: Page, name: string): Promise<string> {
  await page.goto('/create/templates/default/http-service');
  await page.locator('#root_name').fill(name);
  await page.locator('#root_description').fill('Takes orders from the shop');
  await page.getByRole('button', { name: 'Next' }).click();
  await fillOwnershipPage(page, 'PE2E101');
  await fillRepositoryPage(page, name);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/create\/tasks\/[0-9a-f-]{36}/);
  return /\/create\/tasks\/([0-9a-f-]{36})/.exec(page.url())![1];
}

test('she signs in with Okta, and both replicas serve her', async () => {
  await paula.goto('/settings');
  await expect(paula.getByText('Paula Payments').first()).toBeVisible();
  for (const upstream of portal.proxy.upstreams) {
    expect([upstream.name, upstream.served > 0]).toEqual([upstream.name, true]);
  }
});

test('a golden path runs on exactly one replica, with its Argo CD Application, and counts one scaffold', async () => {
  const taskId = await createService(paula, service);
  firstTasks.push(taskId);
  await expect(
    paula.getByText('Write the Argo CD Application').first(),
  ).toBeVisible();
  const openInCatalog = paula.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible({ timeout: 90_000 });
  expect(runnersOf(taskId)).toHaveLength(1);
  await expect.poll(() => scaffoldEvents(taskId)).toBe(1);
  await openInCatalog.click();
  await expect(
    paula.getByRole('heading', { name: service }).first(),
  ).toBeVisible({
    timeout: 30_000,
  });
});

test('from the service page she requests a managed database and gets its pull request', async () => {
  await paula
    .getByRole('list', { name: 'Self-service' })
    .getByRole('link', { name: 'Request a managed database' })
    .click();
  await expect(paula.locator('#root_service')).toHaveValue(
    new RegExp(`${service}$`),
  );
  await paula.getByRole('radio', { name: 'production' }).check();
  await paula.getByRole('radio', { name: /^Medium/ }).check();
  await paula.getByRole('button', { name: 'Review' }).click();
  await paula.getByRole('button', { name: 'Create' }).click();
  await paula.waitForURL(/\/create\/tasks\/[0-9a-f-]{36}/);
  firstTasks.push(/\/create\/tasks\/([0-9a-f-]{36})/.exec(paula.url())![1]);
  await expect(
    paula.getByRole('link', {
      name: 'Pull request: infra/database-production',
    }),
  ).toBeVisible({ timeout: 90_000 });
  expect(runnersOf(firstTasks[1])).toHaveLength(1);
});

test('she asks for a scorecard exemption and the platform team approves it', async ({
  browser,
}) => {
  await paula.goto('/catalog/default/component/fraud-rules-engine/scorecard');
  await paula.getByRole('button', { name: 'Request exemption' }).click();
  const dialog = paula.getByRole('dialog');
  await dialog.getByLabel('Rule').selectOption({ label: 'Runbook' });
  await dialog
    .getByLabel('Reason')
    .fill('Runbook moves to the risk wiki with the January re-org');
  await dialog.getByLabel('Risk sign-off').fill('Rita Risk, head of risk');
  await dialog.getByRole('button', { name: 'Request', exact: true }).click();
  await expect(dialog).toBeHidden();

  const pat = await signedInPage(browser, 'pat.platform@example.com');
  try {
    await pat.goto('/catalog/default/component/fraud-rules-engine/scorecard');
    await pat
      .getByRole('button', { name: 'Approve exemption for Runbook' })
      .click();
    await pat
      .getByRole('dialog')
      .getByRole('button', { name: 'Approve', exact: true })
      .click();
    await expect(
      pat.getByRole('table', { name: 'Exemptions' }).getByText('Approved'),
    ).toBeVisible();
  } finally {
    await pat.context().close();
  }
  // what the platform team decided, on whichever replica answers her
  await paula.reload();
  await expect(
    paula.getByRole('table', { name: 'Exemptions' }).getByText('Approved'),
  ).toBeVisible();
});

test('the Insights page counts her scaffold', async () => {
  await paula.goto('/insights');
  await expect(
    paula
      .getByRole('list', { name: 'Figures of the latest week' })
      .getByLabel(/^Scaffolds: 1\b/),
  ).toBeVisible();
});

test('both replicas give the same answers', async () => {
  const token = await tokenOf(paula);
  const [a, b] = [...portal.replicas.values()];
  for (const route of [
    `catalog/entities/by-name/component/default/${service}`,
    'scorecard/entities/component/default/fraud-rules-engine',
    `scorecard/exemptions?${new URLSearchParams({
      entityRef: 'component:default/fraud-rules-engine',
    })}`,
    'scorecard/overview',
    'insights/figures',
    `scaffolder/v2/tasks/${firstTasks[0]}`,
  ]) {
    const fromA = await api<Answer>(
      paula.request,
      `${a.baseUrl}/api/${route}`,
      token,
    );
    const fromB = await api<Answer>(
      paula.request,
      `${b.baseUrl}/api/${route}`,
      token,
    );
    // When the last sweep ended is read through a five-second cache in each replica
    // (the scorecard's LastSweep): the two may name consecutive sweeps, nothing else.
    const { evaluatedAt: atA, ...restA } = fromA;
    const { evaluatedAt: atB, ...restB } = fromB;
    expect([route, restB]).toEqual([route, restA]);
    if (atA || atB) {
      const apart = Math.abs(Date.parse(atA!) - Date.parse(atB!));
      expect([route, apart]).toEqual([route, expect.any(Number)]);
      expect(apart).toBeLessThanOrEqual(5_000 + SWEEP_FREQUENCY_SECONDS * 1000);
    }
  }
});

test('one scorecard sweep per cadence, whichever replica runs it', async () => {
  const sweeps = [...portal.replicas.values()]
    .flatMap(replica =>
      replica
        .lines()
        .flatMap(({ json }) =>
          typeof json?.message === 'string' &&
          json.message.startsWith('Scorecard sweep:')
            ? [Date.parse(String(json.timestamp))]
            : [],
        ),
    )
    .sort((x, y) => x - y);
  const cadence = SWEEP_FREQUENCY_SECONDS * 1000;
  expect(sweeps.length).toBeGreaterThanOrEqual(5);
  // one per cadence: as many sweeps as the time they span holds (each logs when it
  // ends, so the gaps vary by the sweeps' durations)
  const span = sweeps[sweeps.length - 1] - sweeps[0];
  expect(sweeps.length).toBeLessThanOrEqual(Math.round(span / cadence) + 1);
  // two replicas sweeping the same cadence would be milliseconds apart
  const gaps = sweeps.slice(1).map((at, i) => at - sweeps[i]);
  expect(Math.min(...gaps)).toBeGreaterThan(cadence * 0.8);
});

test('killing the replica that runs her next golden path loses nothing: the other finishes it', async () => {
  const second = `${service}-two`;
  const taskId = await createService(paula, second);
  await expect
    .poll(() => runnersOf(taskId), { intervals: [100] })
    .toHaveLength(1);
  const [holder] = runnersOf(taskId);
  const token = await tokenOf(paula);
  type TaskEvent = { type: string; body: { message?: string } };
  const eventsOf = () =>
    api<TaskEvent[]>(
      paula.request,
      `/api/scaffolder/v2/tasks/${taskId}/events`,
      token,
    );
  const before = await eventsOf();
  await portal.replicas.get(holder)!.kill();
  // killed midway: the task had not finished
  expect(before.map(e => e.type)).not.toContain('completion');

  // the replica left takes the task over once the holder's heartbeat is stale
  const status = async () =>
    (
      await api<{ status: string }>(
        paula.request,
        `/api/scaffolder/v2/tasks/${taskId}`,
        token,
      )
    ).status;
  await expect
    .poll(status, { timeout: 180_000, intervals: [2_000] })
    .not.toMatch(/^(open|processing)$/);
  const events = await eventsOf();
  expect([await status(), events.map(e => e.body.message)]).toEqual([
    'completed',
    expect.anything(),
  ]);
  expect(runnersOf(taskId).sort()).toEqual([...portal.replicas.keys()].sort());
  await paula.reload();
  const openInCatalog = paula.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible();
  // the task's log since its recovery (the template's strategy drops what came before)
  expect(events[0].type).toBe('recovered');
  const messages = (list: TaskEvent[]) =>
    list.map(e => e.body.message).filter(Boolean);
  test.info().annotations.push({
    type: 'killed',
    description: `${holder} after "${messages(before).slice(
      -1,
    )}"; then "${messages(events).find(m => /recovered/i.test(m!))}"`,
  });
  // the repository holds what a golden path run without a kill publishes
  expect(repositoryFiles(second)).toEqual(
    repositoryFiles(service).map(file => file.replaceAll(service, second)),
  );
  await expect.poll(() => scaffoldEvents(taskId)).toBe(1);
  await openInCatalog.click();
  await expect(
    paula.getByRole('heading', { name: second }).first(),
  ).toBeVisible({
    timeout: 30_000,
  });

  // what she did before is all there, served by the replica left
  await paula.goto(`/catalog/default/component/${service}`);
  await expect(
    paula.getByRole('heading', { name: service }).first(),
  ).toBeVisible();
  await paula.goto('/catalog/default/component/fraud-rules-engine/scorecard');
  await expect(
    paula.getByRole('table', { name: 'Exemptions' }).getByText('Approved'),
  ).toBeVisible();
  // one scaffold per golden path, the killed one included
  const scaffolds = await portal.database.query<{ count: string }>(
    "SELECT count(*) FROM insights.insights_events WHERE name = 'scaffold.completed'",
  );
  expect(Number(scaffolds[0].count)).toBe(2);
});
