import { text } from 'node:stream/consumers';
import type {
  Interaction,
  InteractionResults,
  KoaContext,
  Middleware,
  Provider,
} from 'oidc-provider';
import type { LocalAccount } from './accounts';

/** Where oidc-provider sends the browser to log in or consent. */
export function interactionUrl(_ctx: KoaContext, interaction: Interaction) {
  return `/interaction/${interaction.uid}`;
}

const INTERACTION_PATH =
  /^\/interaction\/([\w-]+)(?:\/(login|consent|abort))?$/;

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} · local IdP</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; }
  label { display: block; margin: 0.75rem 0; }
  input { display: block; width: 100%; padding: 0.4rem; box-sizing: border-box; }
  button { padding: 0.5rem 1.25rem; margin-right: 0.5rem; }
  .error { color: #b00020; }
  .hint, li { color: #555; font-size: 0.9rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

function loginPage(
  uid: string,
  accounts: readonly LocalAccount[],
  failure?: { email: string; message: string },
): string {
  const listed = accounts
    .map(
      a =>
        `<li><code>${escapeHtml(a.email)}</code> ${escapeHtml(
          a.displayName,
        )} (${escapeHtml(a.note)})</li>`,
    )
    .join('\n');
  return page(
    'Sign in',
    `<p class="hint">The local stand-in for Okta. Any password works.</p>
${
  failure
    ? `<p class="error" role="alert">${escapeHtml(failure.message)}</p>`
    : ''
}
<form method="post" action="/interaction/${uid}/login">
  <label>Email <input name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(
    failure?.email ?? '',
  )}"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>
<h2>Accounts</h2>
<ul>
${listed}
</ul>`,
  );
}

function consentPage(
  uid: string,
  clientName: string,
  account: LocalAccount | undefined,
  scopes: string[],
): string {
  return page(
    'Allow access',
    `<p><strong>${escapeHtml(clientName)}</strong> asks to sign you in${
      account ? ` as <strong>${escapeHtml(account.email)}</strong>` : ''
    } and to read: ${scopes
      .map(s => `<code>${escapeHtml(s)}</code>`)
      .join(', ')}.</p>
<form method="post" action="/interaction/${uid}/consent" style="display: inline">
  <button type="submit" autofocus>Allow</button>
</form>
<form method="post" action="/interaction/${uid}/abort" style="display: inline">
  <button type="submit">Deny</button>
</form>`,
  );
}

async function readForm(ctx: KoaContext): Promise<URLSearchParams> {
  return new URLSearchParams(await text(ctx.req));
}

async function finish(
  ctx: KoaContext,
  provider: Provider,
  result: InteractionResults,
  mergeWithLastSubmission: boolean,
) {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission,
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

/** Grants what the consent prompt found missing, as the person just allowed. */
async function grantConsent(provider: Provider, interaction: Interaction) {
  const { details } = interaction.prompt;
  const grant =
    (interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : undefined) ??
    new provider.Grant({
      accountId: interaction.session!.accountId,
      clientId: interaction.params.client_id,
    });
  if (details.missingOIDCScope) {
    grant.addOIDCScope(details.missingOIDCScope.join(' '));
  }
  if (details.missingOIDCClaims) {
    grant.addOIDCClaims(details.missingOIDCClaims);
  }
  for (const [indicator, scopes] of Object.entries(
    details.missingResourceScopes ?? {},
  )) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

/**
 * The login and consent pages: a login form (e-mail of a known account, any password)
 * and an Allow/Deny consent page, answered through oidc-provider's interaction API.
 */
export function createInteractions(
  provider: Provider,
  accounts: readonly LocalAccount[],
): Middleware {
  const byEmail = new Map(accounts.map(a => [a.email, a]));

  return async (ctx, next) => {
    const match = INTERACTION_PATH.exec(ctx.path);
    if (!match) {
      await next();
      return;
    }
    const [, uid, action] = match;
    ctx.set('cache-control', 'no-store');

    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      // no interaction cookie, or the interaction expired
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in expired',
        '<p>This sign-in is no longer valid. Start again from the portal.</p>',
      );
      return;
    }

    if (ctx.method === 'GET' && !action) {
      ctx.type = 'html';
      if (interaction.prompt.name === 'login') {
        ctx.body = loginPage(uid, accounts);
      } else {
        const client = await provider.Client.find(interaction.params.client_id);
        const accountId = interaction.session?.accountId;
        ctx.body = consentPage(
          uid,
          client?.clientName ?? interaction.params.client_id,
          accountId ? byEmail.get(accountId) : undefined,
          (interaction.params.scope ?? '').split(' ').filter(Boolean),
        );
      }
      return;
    }

    if (ctx.method !== 'POST' || !action) {
      ctx.status = 405;
      return;
    }

    if (action === 'login') {
      const form = await readForm(ctx);
      const email = (form.get('email') ?? '').trim().toLowerCase();
      if (!byEmail.has(email)) {
        ctx.status = 401;
        ctx.type = 'html';
        ctx.body = loginPage(uid, accounts, {
          email,
          message: `No account ${email}: use one of the accounts below.`,
        });
        return;
      }
      await finish(ctx, provider, { login: { accountId: email } }, false);
    } else if (action === 'consent') {
      await readForm(ctx);
      const grantId = await grantConsent(provider, interaction);
      await finish(ctx, provider, { consent: { grantId } }, true);
    } else {
      await finish(
        ctx,
        provider,
        {
          error: 'access_denied',
          error_description: 'The user denied the sign-in',
        },
        false,
      );
    }
  };
}
