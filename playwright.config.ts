import { defineConfig } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
const chromium = require('./scripts/chromium.cjs');

/**
 * Browser tests run in Debian's Chromium (/usr/bin/chromium); Playwright's own browser
 * downloads are not used. Unless PLAYWRIGHT_URL points at a running portal, two backends
 * serve the built app (scripts/e2e.sh builds it first), each with a fresh SQLite
 * directory so every run starts from the sample catalog:
 *   - E2E_PORT (7107): the embedded defaults, guest sign-in, for most tests;
 *   - E2E_SSO_PORT (7109): with app-config.sso.yaml, Okta sign-in against the local IdP
 *     (packages/local-idp) on E2E_IDP_PORT (7191), for e2e-tests/sso.test.ts.
 * Ports of their own, so a running `./portal start` or `./portal sso` is left alone.
 */
const port = Number(process.env.E2E_PORT ?? 7107);
const baseURL = process.env.PLAYWRIGHT_URL ?? `http://localhost:${port}`;
const dataDir = path.join(os.tmpdir(), `portal-e2e-${process.pid}`);
const ssoPort = Number(process.env.E2E_SSO_PORT ?? 7109);
const ssoURL = `http://localhost:${ssoPort}`;
const idpPort = Number(process.env.E2E_IDP_PORT ?? 7191);

/** Env for `yarn workspace backend start` serving the built app at `url`. */
function backendEnv(url: string, dir: string): Record<string, string> {
  return {
    PORTAL_DATA_DIR: dir,
    APP_CONFIG_app_baseUrl: url,
    APP_CONFIG_backend_baseUrl: url,
    APP_CONFIG_backend_listen_port: new URL(url).port,
    APP_CONFIG_backend_cors_origin: url,
  };
}

export default defineConfig({
  testDir: 'e2e-tests',
  // the two-replica journey has a config of its own (playwright.replicas.config.ts)
  testIgnore: ['replicas/**'],
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
    : [
        {
          command: 'yarn workspace backend start',
          url: `${baseURL}/.backstage/health/v1/readiness`,
          timeout: 180_000,
          reuseExistingServer: false,
          stdout: 'ignore',
          stderr: 'pipe',
          env: {
            ...backendEnv(baseURL, dataDir),
            // Scorecards follow the sample catalog within seconds, not minutes.
            APP_CONFIG_scorecard_schedule_frequency: '5s',
            APP_CONFIG_scorecard_schedule_initialDelay: '3s',
          },
        },
        {
          command: 'yarn workspace @internal/local-idp start',
          url: `http://localhost:${idpPort}/.well-known/openid-configuration`,
          timeout: 60_000,
          reuseExistingServer: false,
          stdout: 'ignore',
          stderr: 'pipe',
          env: {
            LOCAL_IDP_PORT: String(idpPort),
            LOCAL_IDP_REDIRECT_URIS: `${ssoURL}/api/auth/okta/handler/frame`,
          },
        },
        {
          command:
            'yarn workspace backend start --config ../../app-config.yaml --config ../../app-config.sso.yaml',
          url: `${ssoURL}/.backstage/health/v1/readiness`,
          timeout: 180_000,
          reuseExistingServer: false,
          stdout: 'ignore',
          stderr: 'pipe',
          env: {
            ...backendEnv(ssoURL, `${dataDir}-sso`),
            // the Okta audience in app-config.sso.yaml: the local IdP above
            LOCAL_IDP_PORT: String(idpPort),
          },
        },
      ],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromium,
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
