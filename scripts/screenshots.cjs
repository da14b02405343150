#!/usr/bin/env node
// Retakes the README's screenshots (docs/images/) from a running portal:
//   ./portal start   (in another terminal)
//   node scripts/screenshots.cjs [http://localhost:3000]
const path = require('node:path');
const { chromium } = require('playwright-core');
const launchOptions = require('./chromium.cjs');

const baseUrl = process.argv[2] ?? 'http://localhost:3000';
const out = name => path.join(__dirname, '..', 'docs', 'images', name);

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
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
