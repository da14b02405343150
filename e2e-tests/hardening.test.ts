import { expect, Page, test } from '@playwright/test';
import {
  fillOwnershipPage,
  fillRepositoryPage,
} from './helpers/goldenPathForm';

// What the golden-path form and the portal's server say when a developer (or a client
// that skips the form) gets something wrong.

async function openGoldenPath(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Create' }).first(),
  ).toBeVisible();
  await page.goto('/create/templates/default/http-service');
}

test('the form refuses the name of a component the catalog has, saying whose it is', async ({
  page,
}) => {
  await openGoldenPath(page);

  await page.locator('#root_name').fill('payments-api');
  await page.locator('#root_description').fill('Takes payments, again');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(
    page
      .getByText(
        // the sample catalog's payments-api: owner as its catalog file writes it
        'component:default/payments-api already exists (owned by payments-team): choose another name.',
      )
      .first(),
  ).toBeVisible();
  // still on the first page: nothing was submitted
  await expect(page.locator('#root_name')).toBeVisible();

  await page.locator('#root_name').fill(`e2e-free-${Date.now().toString(36)}`);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('#root_costCenter')).toBeVisible();
});

test("the server refuses values the form would have refused, with the template's own message", async ({
  page,
}) => {
  const name = `e2e-refused-${Date.now().toString(36)}`;
  await openGoldenPath(page);
  await page.locator('#root_name').fill(name);
  await page.locator('#root_description').fill('Takes orders');
  await page.getByRole('button', { name: 'Next' }).click();
  await fillOwnershipPage(page, 'PE2E002');
  await fillRepositoryPage(page, name);
  await page.getByRole('button', { name: 'Review' }).click();

  // a client that skips the form's checks: the cost center changes on its way out
  let answer: { status: number; body: string } | undefined;
  await page.route('**/api/scaffolder/v2/tasks', async route => {
    const request = route.request();
    if (request.method() !== 'POST') {
      await route.continue();
      return;
    }
    const body = request.postDataJSON();
    const response = await route.fetch({
      postData: JSON.stringify({
        ...body,
        values: { ...body.values, costCenter: '1001' },
      }),
    });
    answer = { status: response.status(), body: await response.text() };
    await route.fulfill({ response });
  });
  await page.getByRole('button', { name: 'Create' }).click();

  await expect.poll(() => answer?.status, { timeout: 20_000 }).toBe(400);
  expect(JSON.parse(answer!.body).error.message).toBe(
    "Invalid values: field 'costCenter': A cost center looks like CC-1001.",
  );
  expect(answer!.body).not.toContain('does not match pattern');
  // and the developer sees it on the page
  await expect(
    page.getByText(/A cost center looks like CC-1001\./).first(),
  ).toBeVisible();
});
