import { expect, Page, test } from '@playwright/test';
import {
  fillOwnershipPage,
  fillRepositoryPage,
} from './helpers/goldenPathForm';

/**
 * A service with a repository on this host, as the embedded defaults publish locally:
 * made through the HTTP service golden path, like a developer would. Ends on its page.
 */
async function createService(page: Page, name: string) {
  await page.goto('/create/templates/default/http-service');
  await page.locator('#root_name').fill(name);
  await page.locator('#root_description').fill('Keeps the stock of the shop');
  await page.getByRole('button', { name: 'Next' }).click();
  await fillOwnershipPage(page, 'PE2E002');
  await fillRepositoryPage(page, name);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible({ timeout: 60_000 });
  await openInCatalog.click();
  await expect(page.getByRole('heading', { name }).first()).toBeVisible({
    timeout: 30_000,
  });
}

/** From the service page: the database form, with the service already picked. */
async function requestDatabase(page: Page, name: string) {
  const selfService = page.getByRole('list', { name: 'Self-service' });
  await selfService
    .getByRole('link', { name: 'Request a managed database' })
    .click();
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/request-database\?formData=/,
  );
  await expect(page.locator('#root_service')).toHaveValue(
    new RegExp(`${name}$`),
  );
  await page.getByRole('radio', { name: 'production' }).check();
  await page.getByRole('radio', { name: /^Medium/ }).check();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
}

test('from a service page, a developer requests a managed database and gets its pull request', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // unique per run, as a repository of that name can only be created once
  const name = `e2e-stock-${Date.now().toString(36)}`;

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Create' }).first(),
  ).toBeVisible();
  await createService(page, name);
  await expect(page.getByRole('list', { name: 'Self-service' })).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('service-self-service.png'),
  });

  await requestDatabase(page, name);

  // the request is a branch in the service's repository: the embedded default's pull request
  const pullRequest = page.getByRole('link', {
    name: 'Pull request: infra/database-production',
  });
  await expect(pullRequest).toBeVisible({ timeout: 60_000 });
  await expect(pullRequest).toHaveAttribute(
    'href',
    new RegExp(
      `^https?://[^/]+/repositories/paved-road-demo/${name}/compare/infra/database-production$`,
    ),
  );
  await expect(
    page.getByText('Opened infra/database-production.tf on', { exact: false }),
  ).toBeVisible();
  await page.screenshot({
    path: test.info().outputPath('request-database-done.png'),
  });

  // the same request again opens nothing new and points at the open one
  await page.getByRole('link', { name: 'Back to the service' }).click();
  await expect(page.getByRole('heading', { name }).first()).toBeVisible();
  await requestDatabase(page, name);
  await expect(pullRequest).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByText('Already requested, nothing new opened', { exact: false }),
  ).toBeVisible();
});
