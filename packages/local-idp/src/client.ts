/**
 * The one client the local IdP knows: the portal on this machine. app-config.sso.yaml
 * holds the same values. The secret is for loopback only and protects nothing.
 */
export const LOCAL_CLIENT = {
  clientId: 'portal-local',
  clientSecret: 'portal-local-dev-secret',
  name: 'Paved Road (local)',
} as const;

/** Default port; issuer and Okta `audience` are `http://localhost:<port>`. */
export const DEFAULT_PORT = 7190;

/** Where `./portal sso` runs the backend, whose Okta handler receives the code. */
export const DEFAULT_REDIRECT_URIS = [
  'http://localhost:7007/api/auth/okta/handler/frame',
];
