import { expect, Page, test } from '@playwright/test';

// The SSO backend that playwright.config.ts starts beside the guest one: Okta sign-in
// (app-config.sso.yaml) against the local IdP, a real OpenID Connect provider.
const ssoURL =
  process.env.PLAYWRIGHT_SSO_URL ??
  `http://localhost:${process.env.E2E_SSO_PORT ?? 7109}`;

test.use({ baseURL: ssoURL });
test.skip(
  !!process.env.PLAYWRIGHT_URL && !process.env.PLAYWRIGHT_SSO_URL,
  'a running portal is under test; PLAYWRIGHT_SSO_URL names its Okta-enabled twin',
);

/** Clicks Okta's button, then logs in and consents at the IdP in the popup. */
async function signInWithOkta(page: Page, email: string) {
  await page.goto('/');
  await expect(page.getByText('Welcome to Paved Road')).toBeVisible();
  // Okta only: the guest provider is not offered with SSO on
  await expect(page.getByText('Okta', { exact: true })).toBeVisible();
  await expect(page.getByText('Guest', { exact: true })).toHaveCount(0);

  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const popup = await popupOpened;

  await popup.getByLabel('Email').fill(email);
  await popup.getByLabel('Password').fill('any password will do');
  await popup.getByRole('button', { name: 'Sign in' }).click();

  await expect(popup.getByText(`sign you in as ${email}`)).toBeVisible();
  const popupClosed = popup.waitForEvent('close');
  await popup.getByRole('button', { name: 'Allow' }).click();
  await popupClosed;
}

/** The refusal as the sign-in page itself shows it, beside its title. */
function refusalOnSignInPage(page: Page) {
  return page
    .locator('h2', { hasText: 'Welcome to Paved Road' })
    .locator('xpath=..')
    .getByRole('alert');
}

test('a person of the catalog signs in with Okta, is herself in Settings, and signs out', async ({
  page,
}) => {
  await signInWithOkta(page, 'paula.payments@example.com');

  // in the portal, past the sign-in page
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
  await expect(page.getByText('Welcome to Paved Road')).toHaveCount(0);

  // A fresh load keeps her signed in: the backend refreshes the Okta session.
  await page.goto('/settings');
  // the profile the IdP released, from catalog/org.yaml
  await expect(page.getByText('Paula Payments').first()).toBeVisible();
  await expect(
    page.getByText('paula.payments@example.com', { exact: true }),
  ).toBeVisible();
  // the Backstage identity: her User entity and her team, from the catalog
  await expect(
    page
      .getByText('User Entity:')
      .getByRole('link', { name: 'Paula Payments' }),
  ).toHaveAttribute('href', /\/catalog\/default\/user\/paula\.payments$/);
  await expect(
    page
      .getByText('Ownership Entities:')
      .getByRole('link', { name: 'Payments', exact: true }),
  ).toHaveAttribute('href', /\/catalog\/default\/group\/payments-team$/);

  await page.getByRole('button', { name: 'more' }).click();
  await page.getByRole('menuitem', { name: 'Sign Out' }).click();
  await expect(page.getByText('Welcome to Paved Road')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();

  // signed out for good: a reload does not bring her back in
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Catalog' })).toHaveCount(0);
});

test('someone of an allowed domain who is not in the catalog is refused, and told why', async ({
  page,
}) => {
  await signInWithOkta(page, 'stranger@example.com');

  await expect(refusalOnSignInPage(page)).toHaveText(
    "Sign-in refused: stranger@example.com is not in the portal's catalog. Ask your team to add you to catalog/org.yaml.",
  );
  await expect(page.getByRole('button', { name: 'Sign In' })).toBeVisible();
  await page.goto('/catalog');
  await expect(page.getByText('Welcome to Paved Road')).toBeVisible();
  await expect(page.getByRole('link', { name: 'payments-api' })).toHaveCount(0);
});

test('someone of another e-mail domain is refused, and told why', async ({
  page,
}) => {
  await signInWithOkta(page, 'eve@outside.example');

  await expect(refusalOnSignInPage(page)).toHaveText(
    'Sign-in refused: eve@outside.example is not in an allowed email domain (example.com).',
  );
});
