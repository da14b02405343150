import { expect, Page, test } from '@playwright/test';

// Scorecards in the running portal: the backend sweeps the sample catalog every few
// seconds here (playwright.config.ts), the pages show what it found.

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}

/** Reloads until the check passes: the first sweep may still be running. */
async function eventually(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 60_000, intervals: [1_000, 2_000, 3_000] });
}

test('a fully compliant service shows gold on its overview page', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/payments-api');
  await expect(page.getByLabel('Level: Gold')).toBeVisible();
  await expect(page.getByText('9 of 9 rules pass or are exempt')).toBeVisible();
  await expect(page.getByText('No failing rules.')).toBeVisible();
});

test('a non-compliant service shows its failing rules with how to fix them, and takes an exemption request', async ({
  page,
}) => {
  await signIn(page);
  await page.goto('/catalog/default/component/fraud-rules-engine');
  await expect(page.getByLabel('Level: Bronze')).toBeVisible();
  const failing = page.getByRole('list', { name: 'Failing rules' });
  await expect(failing.getByText('On-call rotation')).toBeVisible();
  await expect(failing.getByText('Cost center', { exact: true })).toBeVisible();
  await expect(failing.getByText('Runbook', { exact: true })).toBeVisible();
  await expect(
    failing.getByText(/Add the annotation pagerduty\/service-id/),
  ).toBeVisible();

  // the tab: every rule, and an exemption request
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Scorecard' })
    .click();
  await expect(page).toHaveURL(/\/component\/fraud-rules-engine\/scorecard$/);
  const rules = page.getByRole('table', { name: 'Rules' });
  await expect(rules.getByText('Owned by an existing team')).toBeVisible();
  await expect(rules.getByText('Deployed by Argo CD')).toBeVisible();

  await page.getByRole('button', { name: 'Request exemption' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Rule').selectOption({ label: 'Runbook' });
  await dialog
    .getByLabel('Reason')
    .fill('Runbook moves to the risk wiki with the January re-org');
  await dialog.getByLabel('Risk sign-off').fill('Rita Risk, head of risk');
  await dialog.getByRole('button', { name: 'Request', exact: true }).click();
  await expect(dialog).toBeHidden();
  const exemptions = page.getByRole('table', { name: 'Exemptions' });
  await expect(
    exemptions.getByRole('cell', { name: 'Runbook', exact: true }),
  ).toBeVisible();
  await expect(exemptions.getByText(/requested/i).first()).toBeVisible();
});

test('the scorecards page shows coverage per rule and per team', async ({
  page,
}) => {
  await signIn(page);
  await page.getByRole('link', { name: 'Scorecards' }).first().click();
  await expect(page).toHaveURL(/\/scorecards$/);
  const perRule = page.getByRole('region', { name: 'Coverage per rule' });
  const perTeam = page.getByRole('region', { name: 'Coverage per team' });
  await eventually(page, async () => {
    await expect(perRule.getByText('Runbook', { exact: true })).toBeVisible({
      timeout: 2_000,
    });
    await expect(perTeam.getByText(/payments-team/).first()).toBeVisible({
      timeout: 2_000,
    });
  });
  // The sample services (and any a golden path created before this test) are counted:
  // fraud-rules-engine and legacy-billing have no runbook, and the share matches.
  const runbook = perRule.getByRole('row').filter({ hasText: 'Runbook' });
  const [rule, applies, passed, exempt, failed, coverage] = await runbook
    .getByRole('cell')
    .allInnerTexts();
  expect(rule).toBe('Runbook');
  expect(Number(applies)).toBeGreaterThanOrEqual(7);
  expect(Number(failed)).toBeGreaterThanOrEqual(2);
  expect(Number(passed) + Number(exempt) + Number(failed)).toBe(
    Number(applies),
  );
  expect(coverage).toBe(
    `${Math.round(
      ((Number(passed) + Number(exempt)) / Number(applies)) * 100,
    )}%`,
  );
  await expect(page.getByLabel('Level distribution')).toBeVisible();
});
