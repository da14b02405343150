import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { LocalAccount } from './accounts';
import { LOCAL_CLIENT } from './client';
import { createInteractions, interactionUrl } from './interactions';
import { createMemoryAdapter } from './memoryAdapter';
import {
  OKTA_ROUTES,
  acceptOktaBasicAuth,
  grantOfflineAccessLikeOkta,
} from './okta';

export interface LocalIdpOptions {
  /** `http://localhost:<port>`: also the Okta `audience` the portal is given. */
  issuer: string;
  accounts: readonly LocalAccount[];
  /** The portal backends' `.../api/auth/okta/handler/frame` URLs. */
  redirectUris: string[];
}

function claimsOf(account: LocalAccount): Record<string, unknown> {
  const [givenName, ...rest] = account.displayName.split(' ');
  return {
    sub: account.email,
    email: account.email,
    email_verified: true,
    name: account.displayName,
    given_name: givenName,
    family_name: rest.join(' ') || undefined,
    preferred_username: account.email,
  };
}

/** An oidc-provider instance shaped like an Okta org authorization server. */
export function createLocalIdp(options: LocalIdpOptions): Provider {
  const byEmail = new Map(options.accounts.map(a => [a.email, a]));
  // Fresh keys per start: sessions and tokens need not outlive the process.
  const signingKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  }).privateKey.export({ format: 'jwk' });

  const provider = new Provider(options.issuer, {
    clients: [
      {
        client_id: LOCAL_CLIENT.clientId,
        client_secret: LOCAL_CLIENT.clientSecret,
        client_name: LOCAL_CLIENT.name,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    routes: OKTA_ROUTES,
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    async findAccount(_ctx, sub) {
      const account = byEmail.get(sub);
      return (
        account && { accountId: sub, claims: async () => claimsOf(account) }
      );
    },
    interactions: { url: interactionUrl },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
    },
    // Okta does not require PKCE of confidential web apps, and the strategy sends none.
    pkce: { required: () => false },
    adapter: createMemoryAdapter(),
    // in seconds; a working day of sessions, tokens as short-lived as Okta's defaults
    ttl: {
      AuthorizationCode: 60,
      Interaction: 60 * 60,
      Session: 24 * 60 * 60,
      Grant: 24 * 60 * 60,
      AccessToken: 60 * 60,
      IdToken: 60 * 60,
      RefreshToken: 24 * 60 * 60,
    },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: {
      keys: [{ ...signingKey, kid: 'local-idp', use: 'sig', alg: 'RS256' }],
    },
  });
  provider.use(acceptOktaBasicAuth);
  provider.use(grantOfflineAccessLikeOkta);
  provider.use(createInteractions(provider, options.accounts));
  return provider;
}

export interface StartedLocalIdp {
  issuer: string;
  close(): Promise<void>;
}

function listen(server: http.Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: http.Server) {
  return new Promise<void>(resolve => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts the IdP on loopback only, IPv4 and (where the machine has it) IPv6, so that
 * `localhost` works whichever address a client resolves it to. Port 0 picks one.
 */
export async function startLocalIdp(options: {
  port: number;
  accounts: readonly LocalAccount[];
  redirectUris: string[];
}): Promise<StartedLocalIdp> {
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const servers = [http.createServer((req, res) => handler(req, res))];
  await listen(servers[0], options.port, '127.0.0.1');
  const port = (servers[0].address() as AddressInfo).port;

  const ipv6 = http.createServer((req, res) => handler(req, res));
  try {
    await listen(ipv6, port, '::1');
    servers.push(ipv6);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRNOTAVAIL' && code !== 'EAFNOSUPPORT') {
      await close(servers[0]);
      throw error;
    }
  }

  const issuer = `http://localhost:${port}`;
  handler = createLocalIdp({
    issuer,
    accounts: options.accounts,
    redirectUris: options.redirectUris,
  }).callback();

  return {
    issuer,
    close: async () => {
      await Promise.all(servers.map(close));
    },
  };
}
