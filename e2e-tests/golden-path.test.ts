import { expect, Page, test } from '@playwright/test';
import {
  fillOwnershipPage,
  fillRepositoryPage,
} from './helpers/goldenPathForm';

/** This week's scaffold count on the Insights page, read from the tile's label. */
async function scaffoldsThisWeek(page: Page): Promise<number> {
  await page.goto('/insights');
  const tile = page
    .getByRole('list', { name: 'Figures of the latest week' })
    .getByLabel(/^Scaffolds: /);
  const label = (await tile.getAttribute('aria-label')) ?? '';
  const count = /^Scaffolds: (\d+)/.exec(label);
  expect(count, `the Scaffolds tile says '${label}'`).not.toBeNull();
  return Number(count![1]);
}

test('a developer creates an HTTP service from the golden path, lands on its page, and Insights counts it', async ({
  page,
}) => {
  // unique per run, as a repository of that name can only be created once
  const name = `e2e-orders-${Date.now().toString(36)}`;

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Create' }).first(),
  ).toBeVisible();
  const before = await scaffoldsThisWeek(page);
  await page.getByRole('link', { name: 'Create' }).first().click();
  await expect(page.getByText('Background worker').first()).toBeVisible();
  await page.goto('/create/templates/default/http-service');

  // page 1: a bad name is refused in the form, with a message that says why
  await page.locator('#root_name').fill('Orders_Service');
  await page.locator('#root_description').fill('Takes orders from the shop');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(
    page.getByText('starting with a letter and not ending with a dash').first(),
  ).toBeVisible();
  await page.locator('#root_name').fill(name);
  await page.getByRole('button', { name: 'Next' }).click();

  // page 2: owner and system come from the catalog
  await fillOwnershipPage(page, 'PE2E001');

  // page 3: the repository
  await fillRepositoryPage(page, name);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.screenshot({
    path: test.info().outputPath('golden-path-review.png'),
  });
  await page.getByRole('button', { name: 'Create' }).click();

  // the task runs every step and links to the new entity
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Report the new service').first()).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('golden-path-done.png'),
  });
  await openInCatalog.click();

  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}$`),
  );
  await expect(page.getByRole('heading', { name }).first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    page.getByText('Takes orders from the shop').first(),
  ).toBeVisible();

  // the scaffold.completed event reached the insights backend: one more this week, timed
  await expect(async () => {
    expect(await scaffoldsThisWeek(page)).toBe(before + 1);
  }).toPass({ timeout: 30_000 });
  const p50 = page
    .getByRole('list', { name: 'Figures of the latest week' })
    .getByLabel(/^Scaffold time p50: /);
  // a duration, like "Scaffold time p50: 2.9s, …"
  await expect(p50).toHaveAttribute(
    'aria-label',
    /^Scaffold time p50: (\d+m )?\d+(\.\d+)?s,/,
  );
  await page.screenshot({ path: test.info().outputPath('insights.png') });
});
