/**
 * Signs a person in to the portal with Okta, as a browser would, against the local IdP
 * (any password), and returns her Backstage token: the portal's `start` redirect, the
 * IdP's login and consent forms, the portal's handler, then a session refresh.
 */
export async function oktaSignIn(options: {
  portalUrl: string;
  email: string;
}): Promise<string> {
  const cookies = new Map<string, string>();
  const handler = `${options.portalUrl}/api/auth/okta/handler/frame`;

  const send = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  /** Follows redirects to a page, or up to (and including) the portal's handler. */
  const follow = async (url: string, init?: RequestInit) => {
    let current = url;
    let res = await send(current, init);
    while (res.status >= 300 && res.status < 400) {
      current = new URL(res.headers.get('location')!, current).toString();
      res = await send(current);
      if (current.startsWith(handler)) {
        break;
      }
    }
    return { res, url: current };
  };
  const submit = (url: string, form: Record<string, string>) =>
    follow(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const formAction = async (
    page: { res: Response; url: string },
    action: string,
  ) => {
    const html = await page.res.text();
    const path = new RegExp(`action="(/interaction/[\\w-]+/${action})"`).exec(
      html,
    )?.[1];
    if (!path) {
      throw new Error(
        `Okta sign-in: no ${action} form at ${page.url}: ${html.slice(0, 300)}`,
      );
    }
    return new URL(path, page.url).toString();
  };

  const start = new URL(`${options.portalUrl}/api/auth/okta/start`);
  start.searchParams.set('scope', 'openid email profile offline_access');
  start.searchParams.set('env', 'production');
  start.searchParams.set('origin', options.portalUrl);
  const login = await follow(start.toString());
  const consent = await submit(await formAction(login, 'login'), {
    email: options.email,
    password: 'any password will do',
  });
  const back = await submit(await formAction(consent, 'consent'), {});
  if (!back.url.startsWith(handler) || back.res.status >= 400) {
    throw new Error(
      `Okta sign-in: the portal's handler answered ${back.res.status} at ${back.url}`,
    );
  }
  const refresh = await send(
    `${options.portalUrl}/api/auth/okta/refresh?optional&env=production`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  if (refresh.status !== 200) {
    throw new Error(
      `Okta sign-in: refresh answered ${
        refresh.status
      }: ${await refresh.text()}`,
    );
  }
  const session = (await refresh.json()) as {
    backstageIdentity: { token: string };
  };
  return session.backstageIdentity.token;
}
