import { githubAuthApiRef, oktaAuthApiRef } from '@backstage/core-plugin-api';
import { resolveSignInProviders } from './signInProviders';

describe('resolveSignInProviders', () => {
  it('offers guest sign-in when nothing is configured', () => {
    expect(resolveSignInProviders(undefined)).toEqual(['guest']);
    expect(resolveSignInProviders([])).toEqual(['guest']);
  });

  it('keeps the configured order and binds each provider to its auth API', () => {
    const providers = resolveSignInProviders(['okta', 'github']);
    expect(providers).toEqual([
      expect.objectContaining({ title: 'Okta', apiRef: oktaAuthApiRef }),
      expect.objectContaining({ title: 'GitHub', apiRef: githubAuthApiRef }),
    ]);
  });

  it('rejects an unknown provider, naming it and the config key', () => {
    expect(() => resolveSignInProviders(['okta', 'gitlab'])).toThrow(
      "Unknown sign-in provider 'gitlab' in pavedRoad.signIn.providers; use one of guest, okta, github",
    );
  });
});
