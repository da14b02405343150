import type { Middleware, Route } from 'oidc-provider';

/**
 * The endpoints of Okta's org authorization server, where Backstage's Okta provider
 * (`audience` without `authServerId`) looks for them.
 */
export const OKTA_ROUTES: Record<Route, string> = {
  authorization: '/oauth2/v1/authorize',
  token: '/oauth2/v1/token',
  userinfo: '/oauth2/v1/userinfo',
  jwks: '/oauth2/v1/keys',
  end_session: '/oauth2/v1/logout',
  revocation: '/oauth2/v1/revoke',
  introspection: '/oauth2/v1/introspect',
};

const OKTA_BASIC = /^basic:\s*/i;

/**
 * The Okta strategy Backstage uses authenticates with `Authorization: Basic: <base64>`
 * (a colon after the scheme), which Okta accepts. oidc-provider follows RFC 7617 and
 * refuses it, so this rewrites the header to `Basic <base64>` first, as lenient as Okta.
 */
export const acceptOktaBasicAuth: Middleware = async (ctx, next) => {
  const authorization = ctx.headers.authorization;
  if (authorization && OKTA_BASIC.test(authorization)) {
    ctx.headers.authorization = authorization.replace(OKTA_BASIC, 'Basic ');
  }
  await next();
};

/**
 * Okta issues a refresh token for `offline_access` on any authorization request; OIDC
 * Core (and oidc-provider) keep that scope only with `prompt=consent`. The Okta
 * strategy sends no `prompt` at all, so an authorization request that asks for
 * `offline_access` without one gets `prompt=consent` added: the consent page shows,
 * and the portal receives the refresh token it would receive from Okta.
 */
export const grantOfflineAccessLikeOkta: Middleware = async (ctx, next) => {
  if (ctx.method === 'GET' && ctx.path === OKTA_ROUTES.authorization) {
    const params = new URLSearchParams(ctx.querystring);
    const scopes = params.get('scope')?.split(' ') ?? [];
    if (scopes.includes('offline_access') && !params.has('prompt')) {
      params.set('prompt', 'consent');
      ctx.querystring = params.toString();
    }
  }
  await next();
};
