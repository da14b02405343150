import { randomBytes } from 'node:crypto';
import { NotFoundError, NotImplementedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { VaultClient } from '../clients/vaultClient';
import { parseActionInput, text, Zod } from '../input';
import { DEFAULT_CONTACT, notSetUpSentence } from '../selfService/capabilities';
import { examples } from './vaultSecretRotate.examples';
import { withUserErrors } from './userErrors';

const MIN_BYTES = 16;
const MAX_BYTES = 256;
const DEFAULT_BYTES = 32;

const vaultPath = (z: Zod, max: number) =>
  text(z, { max }).refine(
    VaultClient.isValidPath,
    'must be a Vault path: segments of letters, digits, _, - and . separated by /, never . or ..',
  );

const inputSchema = {
  path: (z: Zod) =>
    vaultPath(z, 512).describe(
      'Path of the secret in the KV v2 mount, e.g. services/payments-api/db-password',
    ),
  mount: (z: Zod) =>
    vaultPath(z, 128)
      .optional()
      .describe(
        'KV v2 mount of the secret; defaults to pavedRoad.vault.kvMount (secret)',
      ),
  key: (z: Zod) =>
    text(z, { max: 128 })
      .regex(
        /^[A-Za-z_][A-Za-z0-9_.-]*$/,
        'must start with a letter or _, then letters, digits, _ . -',
      )
      .default('value')
      .describe(
        'Key the new value is stored under; the new version holds that one key',
      ),
  length: (z: Zod) =>
    z
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(MIN_BYTES, `must be at least ${MIN_BYTES} bytes`)
      .max(MAX_BYTES, `must be at most ${MAX_BYTES} bytes`)
      .default(DEFAULT_BYTES)
      .describe(
        'Random bytes in the new value (written base64url-encoded: 32 bytes make 43 characters)',
      ),
};

const outputSchema = {
  version: (z: Zod) =>
    z.number().describe('The version of the secret that holds the new value'),
};

/**
 * `vault:secret:rotate`: writes a new random value as the next version of a Vault KV v2
 * secret, with check-and-set on the version it read, so a concurrent change is never
 * overwritten. The value is generated here and goes to Vault only: it is not an input,
 * an output, a log line or part of any error; the checkpoint keeps the version alone,
 * so a retried task does not write again.
 */
export function createVaultSecretRotateAction(options: {
  /** From `pavedRoad.vault`; undefined where Vault is not configured. */
  vault: VaultClient | undefined;
  /** Whom developers ask when Vault is not configured (`pavedRoad.selfService.contact`). */
  contact?: string;
}) {
  const { vault, contact = DEFAULT_CONTACT } = options;
  return withUserErrors(
    createTemplateAction({
      id: 'vault:secret:rotate',
      description:
        'Writes a new strong random value, generated on the server, as the next version of a Vault KV v2 secret (check-and-set on its current version). Outputs the new version only.',
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input);
        if (!vault) {
          // the administrator's part (pavedRoad.vault) is logged once at startup
          throw new NotImplementedError(
            notSetUpSentence('Secret rotation', contact),
          );
        }
        const mount = input.mount ?? vault.defaultKvMount;
        const secret = `${mount}/${input.path}`;
        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would write a new version of the Vault secret '${secret}' (key '${input.key}', ${input.length} random bytes)`,
          );
          return;
        }

        const { version } = await ctx.checkpoint({
          key: `vault-secret-rotate-${secret}#${input.key}`,
          fn: async () => {
            const current = await vault.currentVersion(
              mount,
              input.path,
              ctx.signal,
            );
            if (current === undefined) {
              throw new NotFoundError(
                `No secret '${secret}' in Vault: rotation replaces an existing secret, it does not create one`,
              );
            }
            const written = await vault.writeVersion(
              mount,
              input.path,
              { [input.key]: randomBytes(input.length).toString('base64url') },
              current,
              ctx.signal,
            );
            return { version: written };
          },
        });
        ctx.logger.info(
          `Wrote version ${version} of the Vault secret '${secret}' (key '${input.key}')`,
        );
        ctx.output('version', version);
      },
    }),
  );
}
