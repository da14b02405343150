import { Browser, expect, Page } from '@playwright/test';

/** The SSO backend playwright.config.ts starts beside the guest one (Okta, local IdP). */
export const ssoURL =
  process.env.PLAYWRIGHT_SSO_URL ??
  `http://localhost:${process.env.E2E_SSO_PORT ?? 7109}`;

/** True when a running portal is under test without its Okta-enabled twin. */
export const noSsoPortal =
  !!process.env.PLAYWRIGHT_URL && !process.env.PLAYWRIGHT_SSO_URL;

/** Signs in as guest from the sign-in page; the portal then shows its sidebar. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}

/**
 * A new browser context on the SSO backend, signed in with Okta at the local IdP as
 * `email` (any password).
 */
export async function signedInWithOkta(
  browser: Browser,
  email: string,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: ssoURL });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByText('Welcome to Paved Road')).toBeVisible();
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).first().click();
  const popup = await popupOpened;
  await popup.getByLabel('Email').fill(email);
  await popup.getByLabel('Password').fill('any password will do');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  const popupClosed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Allow' }).click();
  await popupClosed;
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
  return page;
}
