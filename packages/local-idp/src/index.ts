export {
  EXTRA_ACCOUNTS,
  accountsFromCatalogYaml,
  loadAccounts,
} from './accounts';
export type { LocalAccount } from './accounts';
export { DEFAULT_PORT, DEFAULT_REDIRECT_URIS, LOCAL_CLIENT } from './client';
export { createLocalIdp, startLocalIdp } from './localIdp';
export type { LocalIdpOptions, StartedLocalIdp } from './localIdp';
export {
  OKTA_ROUTES,
  acceptOktaBasicAuth,
  grantOfflineAccessLikeOkta,
} from './okta';
