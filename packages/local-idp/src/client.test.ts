import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_PORT, LOCAL_CLIENT } from './client';

describe('the local client', () => {
  it('is the one app-config.sso.yaml gives the portal, with this IdP as Okta audience', () => {
    const config = parse(
      fs.readFileSync(
        path.resolve(__dirname, '../../../app-config.sso.yaml'),
        'utf8',
      ),
    );
    expect(config.auth.providers.okta.development).toMatchObject({
      clientId: LOCAL_CLIENT.clientId,
      clientSecret: LOCAL_CLIENT.clientSecret,
      audience: `http://localhost:\${LOCAL_IDP_PORT:-${DEFAULT_PORT}}`,
    });
    expect(config.pavedRoad.signIn.providers).toEqual(['okta']);
  });
});
