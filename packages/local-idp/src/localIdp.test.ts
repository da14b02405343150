import path from 'node:path';
import { loadAccounts } from './accounts';
import { LOCAL_CLIENT } from './client';
import { StartedLocalIdp, startLocalIdp } from './localIdp';

const ORG_FILE = path.resolve(__dirname, '../../../catalog/org.yaml');
const REDIRECT_URI = 'http://localhost:7999/api/auth/okta/handler/frame';

/** A browser's part of the flow: follows redirects by hand and keeps cookies. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...init.headers,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair.split('=');
      this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects until a page, or until the portal's redirect URI. */
  async follow(url: string, init?: RequestInit): Promise<Response> {
    let current = url;
    let res = await this.request(current, init);
    while (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, current).toString();
      if (next.startsWith(REDIRECT_URI)) {
        return res;
      }
      res = await this.request(next);
      current = next;
    }
    return res;
  }

  submit(url: string, form: Record<string, string>) {
    return this.follow(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }
}

/** `Authorization` exactly as @davidzemon/passport-okta-oauth sends it. */
function oktaStrategyBasic(secret: string = LOCAL_CLIENT.clientSecret) {
  return `Basic: ${Buffer.from(`${LOCAL_CLIENT.clientId}:${secret}`).toString(
    'base64',
  )}`;
}

function formAction(html: string, action: string): string {
  const match = new RegExp(`action="(/interaction/[\\w-]+/${action})"`).exec(
    html,
  );
  if (!match) throw new Error(`no ${action} form in ${html}`);
  return match[1];
}

describe('local IdP', () => {
  let idp: StartedLocalIdp;

  beforeAll(async () => {
    idp = await startLocalIdp({
      port: 0,
      accounts: await loadAccounts(ORG_FILE),
      redirectUris: [REDIRECT_URI],
    });
  });

  afterAll(() => idp.close());

  /**
   * What Backstage's Okta provider asks for when someone clicks the Okta button: the
   * strategy passes on no `prompt`, so `offline_access` must work without
   * `prompt=consent`, as it does at Okta.
   */
  function authorizeUrl() {
    const params = new URLSearchParams({
      scope: 'openid email profile offline_access',
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      state: 'opaque-state',
      client_id: LOCAL_CLIENT.clientId,
    });
    return `${idp.issuer}/oauth2/v1/authorize?${params}`;
  }

  /** Logs in and consents; returns the redirect back to the portal. */
  async function signIn(browser: Browser, email: string) {
    const login = await browser.follow(authorizeUrl());
    expect(login.status).toBe(200);
    const loginHtml = await login.text();
    expect(loginHtml).toContain('Any password works');

    const consent = await browser.submit(
      `${idp.issuer}${formAction(loginHtml, 'login')}`,
      { email, password: 'whatever' },
    );
    expect(consent.status).toBe(200);
    const consentHtml = await consent.text();
    expect(consentHtml).toContain(`as <strong>${email}</strong>`);

    const back = await browser.submit(
      `${idp.issuer}${formAction(consentHtml, 'consent')}`,
      {},
    );
    return new URL(back.headers.get('location')!);
  }

  it('publishes the Okta org authorization server endpoints', async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(await res.json()).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/oauth2/v1/authorize`,
      token_endpoint: `${idp.issuer}/oauth2/v1/token`,
      userinfo_endpoint: `${idp.issuer}/oauth2/v1/userinfo`,
      jwks_uri: `${idp.issuer}/oauth2/v1/keys`,
      end_session_endpoint: `${idp.issuer}/oauth2/v1/logout`,
    });
  });

  it('signs a catalog user in the way the Okta strategy talks to Okta', async () => {
    const redirect = await signIn(new Browser(), 'paula.payments@example.com');
    expect(redirect.searchParams.get('state')).toBe('opaque-state');
    const code = redirect.searchParams.get('code');
    expect(code).toBeTruthy();

    // the strategy: `Basic:` with a colon, no client_id in the body
    const tokenRes = await fetch(`${idp.issuer}/oauth2/v1/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: oktaStrategyBasic(),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: REDIRECT_URI,
      }).toString(),
    });
    expect(tokenRes.status).toBe(200);
    const tokens = await tokenRes.json();
    expect(tokens).toMatchObject({
      token_type: 'Bearer',
      scope: 'openid email profile offline_access',
    });
    expect(tokens.id_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));

    // the strategy POSTs to userinfo with an empty body
    const userinfo = await fetch(`${idp.issuer}/oauth2/v1/userinfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toEqual({
      sub: 'paula.payments@example.com',
      email: 'paula.payments@example.com',
      email_verified: true,
      name: 'Paula Payments',
      given_name: 'Paula',
      family_name: 'Payments',
      preferred_username: 'paula.payments@example.com',
    });

    // Backstage refreshes sessions with the refresh token, same header
    const refreshed = await fetch(`${idp.issuer}/oauth2/v1/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: oktaStrategyBasic(),
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      }).toString(),
    });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toHaveProperty('access_token');
  });

  it('signs in the accounts outside the catalog too: the portal is the one to refuse them', async () => {
    const redirect = await signIn(new Browser(), 'eve@outside.example');
    expect(redirect.searchParams.get('code')).toBeTruthy();
  });

  it('refuses an unknown e-mail on the login page', async () => {
    const browser = new Browser();
    const login = await browser.follow(authorizeUrl());
    const res = await browser.submit(
      `${idp.issuer}${formAction(await login.text(), 'login')}`,
      { email: 'nobody@example.com', password: 'x' },
    );
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('No account nobody@example.com');
  });

  it('sends access_denied back to the portal when consent is denied', async () => {
    const browser = new Browser();
    const login = await browser.follow(authorizeUrl());
    const consent = await browser.submit(
      `${idp.issuer}${formAction(await login.text(), 'login')}`,
      { email: 'paula.payments@example.com', password: '' },
    );
    const back = await browser.submit(
      `${idp.issuer}${formAction(await consent.text(), 'abort')}`,
      {},
    );
    const redirect = new URL(back.headers.get('location')!);
    expect(redirect.searchParams.get('error')).toBe('access_denied');
  });

  it('refuses a wrong client secret', async () => {
    const res = await fetch(`${idp.issuer}/oauth2/v1/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: oktaStrategyBasic('not-the-secret'),
      },
      body: 'grant_type=authorization_code&code=x&redirect_uri=x',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });
});
