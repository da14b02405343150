import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError, NotAllowedError } from '@backstage/errors';
import {
  AuthResolverContext,
  createSignInResolverFactory,
} from '@backstage/plugin-auth-node';
import { z } from 'zod/v3';

// Labels of letters, digits and inner hyphens; no wildcards, no leading '@'.
const DOMAIN_NAME =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

const REQUIRED =
  'allowedDomains is required: list the email domains whose people may sign in';

// the same messages on both members, so that a union failure reads as one message
const domainsErrors = {
  required_error: REQUIRED,
  invalid_type_error:
    'allowedDomains must be a list of domains or a comma-separated string',
};

const allowedDomainsSchema = z
  .union([z.string(domainsErrors), z.array(z.string(), domainsErrors)])
  // a comma-separated string, so that one environment variable can carry the list
  .transform((value, ctx) => {
    const domains = (typeof value === 'string' ? value.split(',') : value)
      .map(domain => domain.trim().toLowerCase())
      .filter(domain => domain.length > 0);
    for (const domain of domains) {
      if (!DOMAIN_NAME.test(domain)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `'${domain}' is not a domain name; list each email domain as it is, such as example.com or ops.example.com (a domain does not cover its subdomains)`,
        });
      }
    }
    if (domains.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'allowedDomains must list at least one domain',
      });
    }
    return domains;
  });

const optionsSchema = z
  .object(
    { allowedDomains: allowedDomainsSchema },
    { required_error: REQUIRED },
  )
  .strict();

function domainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) {
    return undefined;
  }
  return email.slice(at + 1).toLowerCase();
}

async function findOnlyUserWithEmail(ctx: AuthResolverContext, email: string) {
  try {
    // the catalog compares filter values case-insensitively
    const { entity } = await ctx.findCatalogUser({
      filter: { 'spec.profile.email': email },
    });
    return entity;
  } catch (error) {
    // findCatalogUser reports no match as NotFoundError, several as ConflictError
    if (isError(error) && error.name === 'NotFoundError') {
      throw new NotAllowedError(
        `Sign-in refused: ${email} is not in the portal's catalog. Ask your team to add you to catalog/org.yaml.`,
      );
    }
    if (isError(error) && error.name === 'ConflictError') {
      throw new NotAllowedError(
        `Sign-in refused: more than one user in the catalog has the email ${email}. Ask the platform team to fix the catalog.`,
      );
    }
    throw error;
  }
}

/**
 * Signs in the one catalog User whose `spec.profile.email` is the email of the
 * provider's profile, when that email is in one of `allowedDomains` (exact domains,
 * compared case-insensitively). Everyone else is refused with a `NotAllowedError`
 * saying why, and never with `NotFoundError`, which would let the auth backend move on
 * to the next configured resolver.
 *
 * @public
 */
export const emailMatchingCatalogUserInAllowedDomains =
  createSignInResolverFactory({
    optionsSchema,
    create({ allowedDomains }) {
      const allowed = new Set<string>(allowedDomains);
      const allowedList = allowedDomains.join(', ');

      return async (info, ctx) => {
        const email = info.profile.email;
        if (!email) {
          throw new NotAllowedError(
            'Sign-in refused: your Okta profile has no email address. Ask your Okta administrators to release the email claim to the portal.',
          );
        }

        const domain = domainOf(email);
        if (!domain || !allowed.has(domain)) {
          throw new NotAllowedError(
            `Sign-in refused: ${email} is not in an allowed email domain (${allowedList}).`,
          );
        }

        const user = await findOnlyUserWithEmail(ctx, email);
        // by ref, so that the identity is the entity just checked and nothing else
        return ctx.signInWithCatalogUser({
          entityRef: stringifyEntityRef(user),
        });
      };
    },
  });
