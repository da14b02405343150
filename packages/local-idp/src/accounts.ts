import fs from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

/** Someone who can sign in at the local IdP, by e-mail and with any password. */
export interface LocalAccount {
  email: string;
  displayName: string;
  /** Why the account is there, shown on the login page. */
  note: string;
}

/** People who are not in the catalog, to see the portal refuse them. */
export const EXTRA_ACCOUNTS: readonly LocalAccount[] = [
  {
    email: 'stranger@example.com',
    displayName: 'Sam Stranger',
    note: 'allowed e-mail domain, not in the catalog',
  },
  {
    email: 'eve@outside.example',
    displayName: 'Eve Outsider',
    note: 'e-mail domain outside the allowed ones',
  },
];

/** Every `User` with an e-mail in a catalog YAML file (one or more documents). */
export function accountsFromCatalogYaml(
  text: string,
  source: string,
): LocalAccount[] {
  const accounts: LocalAccount[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      throw new Error(`${source}: ${document.errors[0].message}`);
    }
    const entity = document.toJS() as
      | {
          kind?: string;
          metadata?: { name?: string };
          spec?: { profile?: { email?: string; displayName?: string } };
        }
      | undefined;
    const email = entity?.spec?.profile?.email;
    if (entity?.kind !== 'User' || !email) {
      continue;
    }
    accounts.push({
      email: email.toLowerCase(),
      displayName:
        entity.spec?.profile?.displayName ?? entity.metadata?.name ?? email,
      note: `catalog user ${entity.metadata?.name}`,
    });
  }
  return accounts;
}

/** The catalog's people from `orgFile`, then {@link EXTRA_ACCOUNTS}. */
export async function loadAccounts(orgFile: string): Promise<LocalAccount[]> {
  const fromCatalog = accountsFromCatalogYaml(
    await fs.readFile(orgFile, 'utf8'),
    orgFile,
  );
  if (fromCatalog.length === 0) {
    throw new Error(`${orgFile} has no User with spec.profile.email`);
  }
  return [...fromCatalog, ...EXTRA_ACCOUNTS];
}
