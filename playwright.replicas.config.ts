import { defineConfig } from '@playwright/test';
const chromium = require('./scripts/chromium.cjs');

/**
 * The two-replica journey (e2e-tests/replicas): the production artifact (scripts/artifact,
 * built once per run and reused) started twice on one fresh PostgreSQL database, behind
 * a round-robin proxy on loopback that plays the Kubernetes Service, with Okta sign-in
 * against the local IdP. The test starts and stops all of it itself, since it kills a
 * replica midway. The proxy listens on E2E_REPLICAS_PORT, else E2E_PORT, else 7307.
 */
const port = Number(
  process.env.E2E_REPLICAS_PORT ?? process.env.E2E_PORT ?? 7307,
);

export default defineConfig({
  testDir: 'e2e-tests/replicas',
  // setup (two replicas, one waiting for the other's migrations) and a long journey
  timeout: 600_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  // each attempt starts everything anew: a retry would double the run, not hide a flake
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report/replicas' }],
  ],
  outputDir: 'node_modules/.cache/e2e-test-results/replicas',
  use: {
    baseURL: `http://localhost:${port}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromium,
  },
  projects: [{ name: 'replicas', use: { browserName: 'chromium' } }],
});
