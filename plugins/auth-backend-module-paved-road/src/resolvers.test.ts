import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthResolverCatalogUserQuery,
  AuthResolverContext,
  BackstageSignInResult,
  TokenParams,
} from '@backstage/plugin-auth-node';
import { emailMatchingCatalogUserInAllowedDomains } from './resolvers';

// Users as catalog/org.yaml declares them, with the relations the catalog adds.
function user(name: string, email: string, group: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { displayName: name, email }, memberOf: [group] },
    relations: [
      { type: RELATION_MEMBER_OF, targetRef: `group:default/${group}` },
    ],
  };
}

const paula = user(
  'paula.payments',
  'paula.payments@example.com',
  'payments-team',
);
const peter = user(
  'peter.payments',
  'peter.payments@example.com',
  'payments-team',
);
const rita = user('rita.risk', 'rita.risk@example.com', 'risk-team');
const ravi = user('ravi.risk', 'ravi.risk@example.com', 'risk-team');
const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-team', namespace: 'default' },
  spec: {
    type: 'team',
    profile: { email: 'payments@example.com' },
    children: [],
  },
};

function valueAt(entity: Entity, path: string): unknown {
  let value: unknown = entity;
  for (const key of path.split('.')) {
    value = (value as Record<string, unknown> | undefined)?.[key];
  }
  return value;
}

/**
 * AuthResolverContext over an in-memory catalog, with the semantics of the auth
 * backend's: filters match case-insensitively and default to kind User, exactly one
 * match or NotFoundError / ConflictError, ownership from memberOf relations.
 */
class InMemoryCatalogContext implements AuthResolverContext {
  readonly issued: TokenParams[] = [];
  readonly queries: AuthResolverCatalogUserQuery[] = [];

  constructor(private readonly entities: Entity[]) {}

  async issueToken(params: TokenParams): Promise<BackstageSignInResult> {
    this.issued.push(params);
    return { token: `token-for-${params.claims.sub}` };
  }

  async findCatalogUser(
    query: AuthResolverCatalogUserQuery,
  ): Promise<{ entity: Entity }> {
    this.queries.push(query);
    let matches: Entity[];
    if ('entityRef' in query) {
      const ref = stringifyEntityRef(
        parseEntityRef(query.entityRef, {
          defaultKind: 'User',
          defaultNamespace: 'default',
        }),
      );
      matches = this.entities.filter(e => stringifyEntityRef(e) === ref);
    } else if ('filter' in query && !Array.isArray(query.filter)) {
      const filter = { kind: 'user', ...query.filter };
      matches = this.entities.filter(entity =>
        Object.entries(filter).every(
          ([path, expected]) =>
            String(valueAt(entity, path)).toLowerCase() ===
            String(expected).toLowerCase(),
        ),
      );
    } else {
      throw new Error('query not supported by this test double');
    }
    if (matches.length > 1) {
      throw new ConflictError('User lookup resulted in multiple matches');
    }
    if (matches.length === 0) {
      throw new NotFoundError('User not found');
    }
    return { entity: matches[0] };
  }

  async signInWithCatalogUser(
    query: AuthResolverCatalogUserQuery,
  ): Promise<BackstageSignInResult> {
    const { entity } = await this.findCatalogUser(query);
    const { ownershipEntityRefs } = await this.resolveOwnershipEntityRefs(
      entity,
    );
    return this.issueToken({
      claims: { sub: stringifyEntityRef(entity), ent: ownershipEntityRefs },
    });
  }

  async resolveOwnershipEntityRefs(entity: Entity) {
    const groups = (entity.relations ?? [])
      .filter(r => r.type === RELATION_MEMBER_OF)
      .map(r => r.targetRef);
    return { ownershipEntityRefs: [stringifyEntityRef(entity), ...groups] };
  }
}

function signIn(email: string | undefined, ctx: AuthResolverContext) {
  const resolver = emailMatchingCatalogUserInAllowedDomains({
    allowedDomains: ['example.com'],
  });
  return resolver({ profile: { email }, result: {} }, ctx);
}

describe('emailMatchingCatalogUserInAllowedDomains', () => {
  const catalog = () => new InMemoryCatalogContext([group, paula, peter, rita]);

  it('signs in the catalog user with that email, owning through their team', async () => {
    const ctx = catalog();
    await expect(signIn('paula.payments@example.com', ctx)).resolves.toEqual({
      token: 'token-for-user:default/paula.payments',
    });
    expect(ctx.issued).toEqual([
      {
        claims: {
          sub: 'user:default/paula.payments',
          ent: ['user:default/paula.payments', 'group:default/payments-team'],
        },
      },
    ]);
  });

  it('compares the domain and the catalog email case-insensitively', async () => {
    const ctx = catalog();
    await expect(signIn('PAULA.PAYMENTS@EXAMPLE.COM', ctx)).resolves.toEqual({
      token: 'token-for-user:default/paula.payments',
    });
    const resolver = emailMatchingCatalogUserInAllowedDomains({
      allowedDomains: 'Example.COM',
    });
    await expect(
      resolver(
        { profile: { email: 'rita.risk@example.com' }, result: {} },
        ctx,
      ),
    ).resolves.toEqual({ token: 'token-for-user:default/rita.risk' });
  });

  it.each([
    'paula.payments@example.com.evil.io',
    'paula.payments@evil-example.com',
    'paula.payments@mail.example.com',
    'paula.payments@example.org',
    'paula.payments@example.com@evil.io',
    'paula.payments',
    'paula.payments@',
  ])('refuses %s, outside the allowed domains', async email => {
    const ctx = catalog();
    const attempt = signIn(email, ctx);
    await expect(attempt).rejects.toThrow(NotAllowedError);
    await expect(attempt).rejects.toThrow(
      `Sign-in refused: ${email} is not in an allowed email domain (example.com).`,
    );
    expect(ctx.queries).toEqual([]);
    expect(ctx.issued).toEqual([]);
  });

  it('names every allowed domain when refusing', async () => {
    const resolver = emailMatchingCatalogUserInAllowedDomains({
      allowedDomains: 'example.com, payments.example.com,example.org',
    });
    await expect(
      resolver(
        { profile: { email: 'mallory@evil.io' }, result: {} },
        catalog(),
      ),
    ).rejects.toThrow(
      'Sign-in refused: mallory@evil.io is not in an allowed email domain (example.com, payments.example.com, example.org).',
    );
  });

  it('accepts a subdomain only when it is listed', async () => {
    const sub = user('sam.sre', 'sam.sre@ops.example.com', 'platform');
    const ctx = new InMemoryCatalogContext([sub]);
    const resolver = emailMatchingCatalogUserInAllowedDomains({
      allowedDomains: ['example.com', 'ops.example.com'],
    });
    await expect(
      resolver(
        { profile: { email: 'sam.sre@ops.example.com' }, result: {} },
        ctx,
      ),
    ).resolves.toEqual({ token: 'token-for-user:default/sam.sre' });
  });

  it.each([undefined, ''])(
    'refuses a profile without an email (%p)',
    async email => {
      const ctx = catalog();
      const attempt = signIn(email, ctx);
      await expect(attempt).rejects.toThrow(NotAllowedError);
      await expect(attempt).rejects.toThrow(
        'Sign-in refused: your Okta profile has no email address. Ask your Okta administrators to release the email claim to the portal.',
      );
      expect(ctx.issued).toEqual([]);
    },
  );

  it('refuses an allowed email that no catalog user has', async () => {
    const ctx = catalog();
    const attempt = signIn('nina.newhire@example.com', ctx);
    await expect(attempt).rejects.toThrow(NotAllowedError);
    await expect(attempt).rejects.toThrow(
      "Sign-in refused: nina.newhire@example.com is not in the portal's catalog. Ask your team to add you to catalog/org.yaml.",
    );
    expect(ctx.issued).toEqual([]);
  });

  it('does not take a group with that email for a user', async () => {
    const attempt = signIn('payments@example.com', catalog());
    await expect(attempt).rejects.toThrow(
      "Sign-in refused: payments@example.com is not in the portal's catalog.",
    );
  });

  it('refuses an email that several catalog users share', async () => {
    const twin = user('paula.p', 'Paula.Payments@example.com', 'risk-team');
    const ctx = new InMemoryCatalogContext([paula, twin, ravi]);
    const attempt = signIn('paula.payments@example.com', ctx);
    await expect(attempt).rejects.toThrow(NotAllowedError);
    await expect(attempt).rejects.toThrow(
      'Sign-in refused: more than one user in the catalog has the email paula.payments@example.com. Ask the platform team to fix the catalog.',
    );
    expect(ctx.issued).toEqual([]);
  });

  it('lets other catalog failures through unchanged', async () => {
    const ctx = catalog();
    const outage = new Error('connect ECONNREFUSED 127.0.0.1:7007');
    jest.spyOn(ctx, 'findCatalogUser').mockRejectedValue(outage);
    await expect(signIn('paula.payments@example.com', ctx)).rejects.toBe(
      outage,
    );
  });

  it('lets a failure after the lookup through unchanged', async () => {
    const ctx = catalog();
    const failure = new NotFoundError('ownership source is gone');
    jest.spyOn(ctx, 'resolveOwnershipEntityRefs').mockRejectedValue(failure);
    await expect(signIn('paula.payments@example.com', ctx)).rejects.toBe(
      failure,
    );
  });

  describe('options', () => {
    it.each([
      [{ allowedDomains: ['example.com', 'example.org'] }],
      [{ allowedDomains: 'example.com,example.org' }],
      [{ allowedDomains: ' example.com , example.org, ' }],
    ])('takes a list or a comma-separated string: %p', async options => {
      const resolver = emailMatchingCatalogUserInAllowedDomains(options);
      await expect(
        resolver(
          { profile: { email: 'mallory@example.net' }, result: {} },
          catalog(),
        ),
      ).rejects.toThrow('(example.com, example.org).');
    });

    it.each([
      [{ allowedDomains: [] }, 'allowedDomains must list at least one domain'],
      [{ allowedDomains: '' }, 'allowedDomains must list at least one domain'],
      [
        { allowedDomains: ' , ' },
        'allowedDomains must list at least one domain',
      ],
      [{}, 'allowedDomains is required'],
      [undefined, 'allowedDomains is required'],
      [{ allowedDomains: 42 }, 'allowedDomains must be a list of domains'],
      [
        { allowedDomains: ['example.com', '*.example.com'] },
        "'*.example.com' is not a domain name",
      ],
      [
        { allowedDomains: '@example.com' },
        "'@example.com' is not a domain name",
      ],
      [
        { allowedDomains: 'example.com', allowedDomain: 'example.org' },
        "Unrecognized key(s) in object: 'allowedDomain'",
      ],
    ])('refuses %p', (options, message) => {
      expect(() =>
        emailMatchingCatalogUserInAllowedDomains(options as any),
      ).toThrow(message);
      expect(() =>
        emailMatchingCatalogUserInAllowedDomains(options as any),
      ).toThrow('Invalid sign-in resolver options');
    });
  });
});
