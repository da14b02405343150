#!/usr/bin/env node
// Retakes the README's screenshots (docs/images/) from a running portal on the embedded
// defaults (guest sign-in, local repositories):
//   ./portal start   (in another terminal)
//   node scripts/screenshots.cjs [http://localhost:3000]
// It runs the HTTP service golden path once (a service named screenshots-<time>), for
// the form, the finished task, its repository page and the home page's tasks.
const path = require('node:path');
const { chromium } = require('playwright-core');
const launchOptions = require('./chromium.cjs');

const baseUrl = process.argv[2] ?? 'http://localhost:3000';
const out = name => path.join(__dirname, '..', 'docs', 'images', name);

/** Fills the HTTP service form as a developer of the payments team would. */
async function fillGoldenPath(page, name) {
  await page.goto(`${baseUrl}/create/templates/default/http-service`);
  await page.locator('#root_name').fill(name);
  await page.locator('#root_description').fill('Takes orders from the shop');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.locator('#root_owner').pressSequentially('Pay');
  await page.getByRole('option', { name: 'Payments' }).click();
  await page.locator('#root_system').click();
  await page.getByRole('option', { name: 'payments', exact: true }).click();
  await page.locator('#root_costCenter').fill('CC-1001');
  await page.locator('#root_onCall').fill('PXYZ123');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Owner').fill('paved-road-demo');
  await page.getByLabel('Owner').press('Tab');
  await page.getByLabel('Repository').fill(name);
  await page.getByLabel('Repository').press('Tab');
  await page.getByRole('button', { name: 'Review' }).click();
}

async function main() {
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 820 },
    });
    await page.goto(baseUrl);
    await page.getByText('Welcome to').waitFor();
    await page.screenshot({ path: out('sign-in.png') });
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('link', { name: 'Catalog' }).first().click();
    await page.getByRole('link', { name: 'payments-api' }).waitFor();
    await page.screenshot({ path: out('catalog.png') });
    await page.getByRole('link', { name: 'payments-api' }).click();
    await page.getByText('Accepts card and bank payments').first().waitFor();
    await page.screenshot({ path: out('service-page.png') });
    await page.getByRole('link', { name: 'Create' }).first().click();
    await page.getByText('Background worker').first().waitFor();
    await page.screenshot({ path: out('create.png') });
    await page.goto(`${baseUrl}/catalog/default/component/fraud-rules-engine`);
    const failing = page.getByRole('list', { name: 'Failing rules' });
    await failing.waitFor();
    // the card sits beside About, below the fold of a laptop screen
    await failing.scrollIntoViewIfNeeded();
    await page.screenshot({ path: out('scorecard-card.png') });
    await page.goto(`${baseUrl}/scorecards`);
    await page.getByRole('region', { name: 'Coverage per rule' }).waitFor();
    await page.getByText('Runbook', { exact: true }).first().waitFor();
    await page.screenshot({ path: out('scorecards-page.png') });

    const name = `screenshots-${Date.now().toString(36)}`;
    await fillGoldenPath(page, name);
    await page.getByText('Takes orders from the shop').first().waitFor();
    await page.screenshot({ path: out('golden-path-review.png') });
    await page.getByRole('button', { name: 'Create' }).click();
    const repository = page.getByRole('link', { name: 'Repository' });
    await repository.waitFor({ timeout: 90_000 });
    await page.screenshot({ path: out('golden-path-done.png') });
    // the link opens a new tab: its page, in this one
    await page.goto(await repository.getAttribute('href'));
    await page.getByRole('table', { name: 'Files' }).waitFor();
    await page.screenshot({ path: out('repository.png') });
    await page.goto(`${baseUrl}/insights`);
    await page
      .getByRole('list', { name: 'Figures of the latest week' })
      .waitFor();
    await page.screenshot({ path: out('insights.png') });
    await page.goto(`${baseUrl}/home`);
    await page
      .getByRole('list', { name: 'Your tasks' })
      .getByRole('link')
      .first()
      .waitFor();
    await page.screenshot({ path: out('home.png') });
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
