import { entityKey, tryEntityKey } from './entityKey';
import { isDns1123Label } from './names';

describe('entityKey', () => {
  it('lower-cases the full reference of a string, a compound ref or an entity', () => {
    expect(entityKey('Component:Default/Payments-API')).toBe(
      'component:default/payments-api',
    );
    expect(entityKey({ kind: 'Group', namespace: 'ops', name: 'SRE' })).toBe(
      'group:ops/sre',
    );
    expect(
      entityKey({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'Billing' },
      }),
    ).toBe('component:default/billing');
  });

  it('completes short forms with the defaults given', () => {
    expect(entityKey('payments-team', { defaultKind: 'group' })).toBe(
      'group:default/payments-team',
    );
    expect(
      entityKey('payments-team', {
        defaultKind: 'Group',
        defaultNamespace: 'finance',
      }),
    ).toBe('group:finance/payments-team');
  });

  it('throws for what is not a reference; tryEntityKey answers undefined', () => {
    expect(() => entityKey('payments-team')).toThrow(/kind/);
    expect(tryEntityKey('component:default/')).toBeUndefined();
    expect(tryEntityKey(42)).toBeUndefined();
    expect(tryEntityKey('  ')).toBeUndefined();
    expect(tryEntityKey('user:default/Pat')).toBe('user:default/pat');
  });
});

describe('isDns1123Label', () => {
  it.each(['a', 'payments-api', 'a1', '0-x'])('accepts %s', name => {
    expect(isDns1123Label(name)).toBe(true);
  });
  it.each(['', '-a', 'a-', 'Payments', 'a_b', 'a'.repeat(64)])(
    'refuses %j',
    name => {
      expect(isDns1123Label(name)).toBe(false);
    },
  );
});
