import { Page } from '@playwright/test';

/** Page 2 of a golden-path form: owner and system from the catalog, cost center, on-call. */
export async function fillOwnershipPage(page: Page, onCall: string) {
  await page.locator('#root_owner').pressSequentially('Pay');
  await page.getByRole('option', { name: 'Payments' }).click();
  await page.locator('#root_system').click();
  await page.getByRole('option', { name: 'payments', exact: true }).click();
  await page.locator('#root_costCenter').fill('CC-1001');
  await page.locator('#root_onCall').fill(onCall);
  await page.getByRole('button', { name: 'Next' }).click();
}

/** Page 3: the repository. Free-text autocompletes take their value when left. */
export async function fillRepositoryPage(page: Page, name: string) {
  await page.getByLabel('Owner').fill('paved-road-demo');
  await page.getByLabel('Owner').press('Tab');
  await page.getByLabel('Repository').fill(name);
  await page.getByLabel('Repository').press('Tab');
}
