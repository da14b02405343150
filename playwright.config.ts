import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
const chromium = require('./scripts/chromium.cjs');

/**
 * Browser tests run in Debian's Chromium (/usr/bin/chromium); Playwright's own browser
 * downloads are not used. Unless PLAYWRIGHT_URL points at a running portal, the backend
 * is started on E2E_PORT serving the built app (scripts/e2e.sh builds it first), with a
 * fresh SQLite directory so every run starts from the sample catalog.
 */
const port = Number(process.env.E2E_PORT ?? 7107);
const baseURL = process.env.PLAYWRIGHT_URL ?? `http://localhost:${port}`;
const dataDir = path.join(os.tmpdir(), `portal-e2e-${process.pid}`);

export default defineConfig({
  testDir: 'e2e-tests',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  outputDir: 'node_modules/.cache/e2e-test-results',
  webServer: process.env.PLAYWRIGHT_URL
    ? undefined
    : {
        command: 'yarn workspace backend start',
        url: `${baseURL}/.backstage/health/v1/readiness`,
        timeout: 180_000,
        reuseExistingServer: false,
        stdout: 'ignore',
        stderr: 'pipe',
        env: {
          PORTAL_DATA_DIR: dataDir,
          APP_CONFIG_app_baseUrl: baseURL,
          APP_CONFIG_backend_baseUrl: baseURL,
          APP_CONFIG_backend_listen_port: String(port),
          APP_CONFIG_backend_cors_origin: baseURL,
          // Scorecards follow the sample catalog within seconds, not minutes.
          APP_CONFIG_scorecard_schedule_frequency: '5s',
          APP_CONFIG_scorecard_schedule_initialDelay: '3s',
        },
      },
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromium,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
