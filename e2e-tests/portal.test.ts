import { expect, test } from '@playwright/test';

test('a guest signs in, browses the catalog, opens a service and sees the golden paths', async ({
  page,
}) => {
  await page.goto('/');

  // our own sign-in page, with the guest provider of the embedded defaults
  await expect(page.getByText('Welcome to Paved Road')).toBeVisible();
  await page.getByRole('button', { name: 'Enter' }).click();

  // the catalog lists the sample services
  await page.getByRole('link', { name: 'Catalog' }).first().click();
  await expect(page.getByRole('link', { name: 'payments-api' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'risk-scoring' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'legacy-billing' }),
  ).toBeVisible();

  // a service page, with its owner and the Kubernetes tab
  await page.getByRole('link', { name: 'payments-api' }).click();
  await expect(
    page.getByRole('heading', { name: 'payments-api' }).first(),
  ).toBeVisible();
  await expect(page.getByText('payments-team').first()).toBeVisible();
  const contentNav = page.getByRole('navigation', {
    name: 'Content navigation',
  });
  await contentNav.getByRole('link', { name: 'Kubernetes' }).click();
  await expect(page).toHaveURL(/\/component\/payments-api\/kubernetes$/);
  // answered by the real Kubernetes backend, which has no clusters in the embedded defaults
  await expect(
    page.getByText('No resources on any known clusters for payments-api'),
  ).toBeVisible();

  // Create shows the golden paths
  await page.getByRole('link', { name: 'Create' }).first().click();
  await expect(page.getByText('HTTP service').first()).toBeVisible();
  await expect(page.getByText('Background worker').first()).toBeVisible();

  // our paved-road actions are installed, with their documentation
  await page.getByText('Actions', { exact: true }).click();
  await expect(page).toHaveURL(/\/create\/actions$/);
  for (const id of [
    'argocd:app:create',
    'terraform:stub:create',
    'portal:event:emit',
  ]) {
    await expect(page.getByText(id, { exact: true }).first()).toBeVisible();
  }
});
