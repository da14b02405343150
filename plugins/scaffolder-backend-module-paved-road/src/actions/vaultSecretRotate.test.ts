import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { VaultClient } from '../clients/vaultClient';
import { readPavedRoadConfig } from '../config';
import { createVaultSecretRotateAction } from './vaultSecretRotate';
import { examples } from './vaultSecretRotate.examples';
import { FakeVault } from '../__testUtils__/fakeVault';
import { checkpointStore, createTestContext } from '../__testUtils__/harness';
import { findLeaks } from '../__testUtils__/secretScan';

const ADDRESS = 'https://vault.example.com:8200';
const TOKEN = 'hvs.portal-token-do-not-log';
const SECRET = 'secret/services/payments-api/db-password';
const PATH = 'services/payments-api/db-password';

const vault = new FakeVault(ADDRESS, {
  token: TOKEN,
  kubernetes: {
    role: 'paved-road',
    jwt: 'eyJhbGciOiJSUzI1NiJ9.service-account.jwt',
    clientToken: 'hvs.from-kubernetes-login',
  },
  slowMs: 2_000,
});
const server = setupServer(...vault.handlers());

/** The action as the module creates it from this config. */
function rotateAction(config: ConfigReader) {
  const { vault: settings, contact } = readPavedRoadConfig(config);
  return createVaultSecretRotateAction({
    vault: settings && VaultClient.create(settings),
    contact,
  });
}

function vaultConfig(extra: JsonObject = {}) {
  return new ConfigReader({
    pavedRoad: {
      vault: { address: ADDRESS, token: TOKEN, timeoutMs: 200, ...extra },
    },
  });
}

/**
 * Runs the action once and checks that nothing it emitted (log lines, outputs, the
 * error and its stack, the checkpoints) holds any value it sent to Vault, in any
 * encoding, nor the Vault token.
 */
async function run(
  input: JsonObject,
  options: {
    config?: ConfigReader;
    isDryRun?: boolean;
    checkpoints?: ReturnType<typeof checkpointStore>;
  } = {},
) {
  const checkpoints = options.checkpoints ?? checkpointStore();
  const { context, outputs, lines } = createTestContext({
    input,
    taskId: 'task-rotate',
    isDryRun: options.isDryRun,
    checkpoints,
  });
  let error: Error | undefined;
  try {
    await rotateAction(options.config ?? vaultConfig()).handler(context as any);
  } catch (e) {
    error = e as Error;
  }
  const emitted = {
    logs: lines.join('\n'),
    outputs: JSON.stringify(outputs),
    error: `${error?.message ?? ''}\n${error?.stack ?? ''}`,
    checkpoints: JSON.stringify([...checkpoints.values.entries()]),
  };
  expect(findLeaks(vault.writtenValues(), emitted)).toEqual([]);
  expect(Object.values(emitted).join('\n')).not.toContain(TOKEN);
  return { outputs, lines, error, checkpoints };
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  vault.requests.length = 0;
  vault.secrets.clear();
  vault.heal();
  vault.seed(SECRET, 3);
});

describe('vault:secret:rotate', () => {
  it('writes a new random value as the next version, with check-and-set, and outputs the version only', async () => {
    const { outputs, lines, error } = await run({ path: PATH });

    expect(error).toBeUndefined();
    expect(outputs).toEqual({ version: 4 });
    expect(vault.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/secret/metadata/${PATH}`,
      `POST /v1/secret/data/${PATH}`,
    ]);
    for (const request of vault.requests) {
      expect(request.headers['x-vault-token']).toBe(TOKEN);
    }
    const body = JSON.parse(vault.writes()[0].body);
    expect(body).toEqual({
      options: { cas: 3 },
      data: { value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
    });
    expect(vault.secrets.get(SECRET)?.[3]).toEqual(body.data);
    expect(lines).toContain(
      `info Wrote version 4 of the Vault secret '${SECRET}' (key 'value')`,
    );
  });

  it('takes the key, the length and another mount', async () => {
    vault.seed('kv-payments/payments-api/webhook-signing-key', 1);

    const { outputs } = await run({
      mount: 'kv-payments',
      path: 'payments-api/webhook-signing-key',
      key: 'signingKey',
      length: 64,
    });

    expect(outputs).toEqual({ version: 2 });
    const { data } = JSON.parse(vault.writes()[0].body);
    expect(Object.keys(data)).toEqual(['signingKey']);
    expect(Buffer.from(data.signingKey, 'base64url')).toHaveLength(64);
  });

  it('never writes the same value twice', async () => {
    await run({ path: PATH });
    await run({ path: PATH });
    const [first, second] = vault.writtenValues();
    expect(first).not.toBe(second);
    expect(vault.secrets.get(SECRET)).toHaveLength(5);
  });

  it("reports Vault's 403 permission denied on the write, and writes nothing", async () => {
    vault.fail('write', 'forbidden');

    const { error, outputs } = await run({ path: PATH });

    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toBe(
      `Vault refused to write a new version of '${SECRET}': permission denied (403 Forbidden); the portal's Vault policy must allow it`,
    );
    expect(outputs).toEqual({});
    expect(vault.secrets.get(SECRET)).toHaveLength(3);
  });

  it('reports a 403 on reading the metadata, before generating or sending anything', async () => {
    vault.fail('read', 'forbidden');

    const { error } = await run({ path: PATH });

    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain(
      `Vault refused to read the metadata of '${SECRET}': permission denied (403`,
    );
    expect(vault.writes()).toEqual([]);
  });

  it('refuses to overwrite a version written meanwhile (check-and-set mismatch)', async () => {
    vault.race(SECRET);

    const { error, outputs } = await run({ path: PATH });

    expect(error?.name).toBe('ConflictError');
    expect(error?.message).toBe(
      `The secret '${SECRET}' changed while it was being rotated (it is no longer at version 3); nothing was written, run the rotation again`,
    );
    expect(outputs).toEqual({});
    // the other writer's version stays the latest
    expect(vault.secrets.get(SECRET)?.at(-1)).toEqual({
      value: 'written-by-someone-else',
    });
  });

  it('does not create a secret that does not exist', async () => {
    const { error } = await run({ path: 'services/payments-api/typo' });

    expect(error?.name).toBe('NotFoundError');
    expect(error?.message).toBe(
      "No secret 'secret/services/payments-api/typo' in Vault: rotation replaces an existing secret, it does not create one",
    );
    expect(vault.writes()).toEqual([]);
  });

  it('gives up on a slow Vault and says the write may have happened', async () => {
    vault.fail('write', 'slow');
    const started = Date.now();

    const { error } = await run({ path: PATH });

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error?.name).toBe('ServiceUnavailableError');
    expect(error?.message).toBe(
      `Vault at ${ADDRESS} did not answer within 200 ms when asked to write a new version of '${SECRET}'; the write may or may not have happened, check the secret before running again`,
    );
  });

  it('does not write again when retried with the checkpoints of a run that wrote', async () => {
    const checkpoints = checkpointStore();
    const first = await run({ path: PATH }, { checkpoints });

    // e.g. the restart step after it failed, and the task is retried
    const second = await run({ path: PATH }, { checkpoints });

    expect(first.outputs).toEqual({ version: 4 });
    expect(second.outputs).toEqual({ version: 4 });
    expect(vault.writes()).toHaveLength(1);
    expect(vault.requests.filter(r => r.method === 'GET')).toHaveLength(1);
    // the checkpoint keeps the version, nothing else
    expect([...checkpoints.values.values()]).toEqual([{ version: 4 }]);
  });

  it('writes on a retry when the first run failed', async () => {
    const checkpoints = checkpointStore();
    vault.fail('write', 'forbidden');
    expect((await run({ path: PATH }, { checkpoints })).error).toBeDefined();

    vault.heal();
    const { outputs } = await run({ path: PATH }, { checkpoints });

    expect(outputs).toEqual({ version: 4 });
    expect(vault.secrets.get(SECRET)).toHaveLength(4);
  });

  describe('with Kubernetes auth', () => {
    let dir: string;
    let jwtPath: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-jwt-'));
      jwtPath = path.join(dir, 'token');
      fs.writeFileSync(jwtPath, 'eyJhbGciOiJSUzI1NiJ9.service-account.jwt\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const kubernetesConfig = (role: string) =>
      new ConfigReader({
        pavedRoad: {
          vault: {
            address: ADDRESS,
            timeoutMs: 200,
            kubernetes: { role, jwtPath },
          },
        },
      });

    it('logs in with the service account token and uses the client token', async () => {
      const { outputs } = await run(
        { path: PATH },
        { config: kubernetesConfig('paved-road') },
      );

      expect(outputs).toEqual({ version: 4 });
      const [login, ...rest] = vault.requests;
      expect(login.path).toBe('/v1/auth/kubernetes/login');
      expect(JSON.parse(login.body)).toEqual({
        role: 'paved-road',
        jwt: 'eyJhbGciOiJSUzI1NiJ9.service-account.jwt',
      });
      expect(login.headers['x-vault-token']).toBeUndefined();
      for (const request of rest.filter(r => !r.path.includes('/auth/'))) {
        expect(request.headers['x-vault-token']).toBe(
          'hvs.from-kubernetes-login',
        );
      }
    });

    it('reports a role Vault does not know', async () => {
      const { error } = await run(
        { path: PATH },
        { config: kubernetesConfig('nobody') },
      );
      expect(error?.name).toBe('NotAllowedError');
      expect(error?.message).toBe(
        'Vault refused to log in with Kubernetes auth (role \'nobody\'): invalid role name "nobody" (400)',
      );
      expect(vault.writes()).toEqual([]);
    });
  });

  it('contacts Vault not at all in a dry run', async () => {
    const { outputs, lines } = await run({ path: PATH }, { isDryRun: true });
    expect(outputs).toEqual({});
    expect(vault.requests).toEqual([]);
    expect(lines).toContain(
      `info Dry run: would write a new version of the Vault secret '${SECRET}' (key 'value', 32 random bytes)`,
    );
  });

  it.each<[string, JsonObject]>([
    ['path', {}],
    ['path', { path: '../sys/policies/acl/admin' }],
    ['path', { path: 'services/./x' }],
    ['path', { path: '/services/x' }],
    ['path', { path: 'services/x?version=1' }],
    ['mount', { path: PATH, mount: 'sys/..' }],
    ['key', { path: PATH, key: 'a key' }],
    ['length', { path: PATH, length: 8 }],
    ['length', { path: PATH, length: 4096 }],
    ['length', { path: PATH, length: 32.5 }],
    ['value', { path: PATH, value: 'typed-into-a-form' }],
  ])('refuses a bad %s before contacting Vault', async (field, input) => {
    const { error } = await run(input);
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toContain(`'${field}'`);
    expect(vault.requests).toEqual([]);
  });

  it('tells the developer whom to ask when Vault is not configured', async () => {
    const { error } = await run(
      { path: PATH },
      {
        config: new ConfigReader({
          pavedRoad: { selfService: { contact: '#platform' } },
        }),
      },
    );
    expect(error?.name).toBe('NotImplementedError');
    expect(error?.message).toBe(
      'Secret rotation is not set up on this portal: ask #platform.',
    );
    // no stack trace in front of the sentence in the task log
    expect(error?.stack).toBe(`NotImplementedError: ${error?.message}`);
  });

  it.each<[string, JsonObject, string]>([
    ['a bad address', { address: 'vault' }, "'pavedRoad.vault.address'"],
    [
      'credentials in the address',
      { address: 'https://user:pw@vault.example.com' },
      "'pavedRoad.vault.address'",
    ],
    [
      'both auth methods',
      { kubernetes: { role: 'paved-road' } },
      "'pavedRoad.vault.token'",
    ],
    ['no auth', { token: '' }, "'pavedRoad.vault.token'"],
    ['a bad timeout', { timeoutMs: 0 }, "'pavedRoad.vault.timeoutMs'"],
  ])('stops at startup with %s, naming the key', (_, extra, key) => {
    expect(() => rotateAction(vaultConfig(extra))).toThrow(key);
  });

  it('runs every documented example', async () => {
    vault.seed('kv-payments/payments-api/webhook-signing-key', 1);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const [step] = parse(example.example).steps;
      expect(step.action).toBe('vault:secret:rotate');
      const { error, outputs } = await run(step.input);
      expect(error).toBeUndefined();
      expect(outputs.version).toEqual(expect.any(Number));
    }
  });
});
