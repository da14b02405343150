import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import authModuleOktaProvider from './index';

function oktaConfig(resolver: Record<string, string>) {
  return mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      auth: {
        providers: {
          okta: {
            development: {
              clientId: '0oa-portal-dev',
              clientSecret: 'not-a-real-secret',
              audience: 'https://dev.okta.example.com',
              signIn: { resolvers: [resolver] },
            },
          },
        },
      },
    },
  });
}

describe('authModuleOktaProvider', () => {
  it('sends people to Okta to sign in', async () => {
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleOktaProvider,
        oktaConfig({
          resolver: 'emailMatchingCatalogUserInAllowedDomains',
          allowedDomains: 'example.com',
        }),
      ],
    });

    const res = await request(server).get(
      '/api/auth/okta/start?env=development',
    );

    expect(res.status).toBe(302);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(
      'https://dev.okta.example.com/oauth2/v1/authorize',
    );
    expect(location.searchParams.get('client_id')).toBe('0oa-portal-dev');
    expect(location.searchParams.get('redirect_uri')).toMatch(
      /\/api\/auth\/okta\/handler\/frame$/,
    );
  });

  it('refuses to start when the resolver has no allowed domains', async () => {
    await expect(
      startTestBackend({
        features: [
          authPlugin,
          authModuleOktaProvider,
          oktaConfig({ resolver: 'emailMatchingCatalogUserInAllowedDomains' }),
        ],
      }),
    ).rejects.toThrow(
      /Failed to initialize okta auth provider, Invalid sign-in resolver options.*allowedDomains is required/,
    );
  });

  it('does not offer the resolvers that need no domain list', async () => {
    await expect(
      startTestBackend({
        features: [
          authPlugin,
          authModuleOktaProvider,
          oktaConfig({ resolver: 'emailMatchingUserEntityProfileEmail' }),
        ],
      }),
    ).rejects.toThrow(
      "Sign-in resolver 'emailMatchingUserEntityProfileEmail' is not available",
    );
  });
});
