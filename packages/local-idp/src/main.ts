// `yarn workspace @internal/local-idp start`: the local IdP until SIGTERM or Ctrl-C.
//   LOCAL_IDP_PORT           port, default 7190 (issuer http://localhost:<port>)
//   LOCAL_IDP_REDIRECT_URIS  comma-separated redirect URIs of the portal backends
//   LOCAL_IDP_ORG_FILE       the catalog file with the people, default catalog/org.yaml
// Relative paths start at packages/local-idp, where yarn runs the script (as the
// backend's config paths start at packages/backend).
import path from 'node:path';
import { loadAccounts } from './accounts';
import { DEFAULT_PORT, DEFAULT_REDIRECT_URIS, LOCAL_CLIENT } from './client';
import { startLocalIdp } from './localIdp';

async function main() {
  const port = Number(process.env.LOCAL_IDP_PORT || DEFAULT_PORT);
  const redirectUris = process.env.LOCAL_IDP_REDIRECT_URIS
    ? process.env.LOCAL_IDP_REDIRECT_URIS.split(',').map(uri => uri.trim())
    : DEFAULT_REDIRECT_URIS;
  const orgFile =
    process.env.LOCAL_IDP_ORG_FILE ?? path.resolve('../../catalog/org.yaml');

  const accounts = await loadAccounts(orgFile);
  const idp = await startLocalIdp({ port, accounts, redirectUris });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await idp.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  process.stdout.write(
    `local IdP ready at ${idp.issuer}: client ${LOCAL_CLIENT.clientId}, ` +
      `${accounts.length} accounts (any password), ` +
      `e.g. ${accounts[0].email}, for ${redirectUris.join(' ')}\n`,
  );
}

main().catch(error => {
  const message =
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? `port ${
          process.env.LOCAL_IDP_PORT || DEFAULT_PORT
        } is in use (LOCAL_IDP_PORT picks another)`
      : String((error as Error).stack ?? error);
  process.stderr.write(`local IdP failed to start: ${message}\n`);
  process.exit(1);
});
