import path from 'node:path';
import {
  EXTRA_ACCOUNTS,
  accountsFromCatalogYaml,
  loadAccounts,
} from './accounts';

describe('accounts', () => {
  it('are the Users of catalog/org.yaml, then the two strangers', async () => {
    const accounts = await loadAccounts(
      path.resolve(__dirname, '../../../catalog/org.yaml'),
    );
    expect(accounts).toContainEqual({
      email: 'paula.payments@example.com',
      displayName: 'Paula Payments',
      note: 'catalog user paula.payments',
    });
    expect(accounts.slice(-2)).toEqual(EXTRA_ACCOUNTS);
    expect(EXTRA_ACCOUNTS.map(a => a.email)).toEqual([
      'stranger@example.com',
      'eve@outside.example',
    ]);
  });

  it('skip Groups and Users without an e-mail, and lower-case e-mails', () => {
    const yaml = `
kind: Group
metadata: { name: team }
spec: { profile: { email: team@example.com } }
---
kind: User
metadata: { name: no.mail }
spec: { profile: { displayName: No Mail } }
---
kind: User
metadata: { name: jo }
spec: { profile: { email: Jo@Example.com } }
`;
    expect(accountsFromCatalogYaml(yaml, 'test.yaml')).toEqual([
      { email: 'jo@example.com', displayName: 'jo', note: 'catalog user jo' },
    ]);
  });

  it('name the file when the YAML is broken', () => {
    expect(() => accountsFromCatalogYaml('kind: [User', 'org.yaml')).toThrow(
      /^org\.yaml: /,
    );
  });
});
