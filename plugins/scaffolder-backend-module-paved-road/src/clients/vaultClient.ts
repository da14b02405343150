import fs from 'node:fs/promises';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { VAULT_PATH, VaultConfig } from '../config';

type VaultRequest = {
  method: 'GET' | 'POST';
  apiPath: string;
  /** What the call does, for error messages: "read the metadata of 'secret/x'". */
  what: string;
  body?: string;
  signal?: AbortSignal;
  /** The call changes a secret, so a timeout leaves its outcome unknown. */
  writes?: boolean;
};

/** Vault's error bodies are `{"errors":["..."]}`. */
function vaultErrors(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      return parsed.errors.map(String).join('; ');
    }
  } catch {
    // not JSON: Vault behind a proxy that answered itself
  }
  return 'no error message';
}

function isTimeout(error: unknown): boolean {
  return (error as Error)?.name === 'TimeoutError';
}

/**
 * The few Vault calls the portal makes: KV v2 metadata and writes with check-and-set,
 * authenticated with a token or by Kubernetes auth. Nothing here logs, and no error
 * carries a request body, so what is written never leaves this class but to Vault.
 */
export class VaultClient {
  static create(settings: VaultConfig): VaultClient {
    return new VaultClient(settings);
  }

  private constructor(private readonly settings: VaultConfig) {}

  /** The KV v2 mount used when a step names none. */
  get defaultKvMount(): string {
    return this.settings.kvMount;
  }

  /** Whether `value` can be a mount or a secret path. */
  static isValidPath(value: string): boolean {
    return VAULT_PATH.test(value);
  }

  /**
   * The secret's `current_version` from its KV v2 metadata, or undefined when there is
   * no secret at that path.
   */
  async currentVersion(
    mount: string,
    path: string,
    signal?: AbortSignal,
  ): Promise<number | undefined> {
    const what = `read the metadata of '${mount}/${path}'`;
    const res = await this.call({
      method: 'GET',
      apiPath: `/v1/${mount}/metadata/${path}`,
      what,
      signal,
    });
    if (res.status === 404) {
      return undefined;
    }
    await this.assertOk(res, what);
    const body = (await res.json()) as {
      data?: { current_version?: unknown };
    };
    const version = body.data?.current_version;
    if (typeof version !== 'number' || !Number.isInteger(version)) {
      throw new ServiceUnavailableError(
        `Vault answered without a current_version when asked to ${what}`,
      );
    }
    return version;
  }

  /**
   * Writes `data` as the next version of a KV v2 secret, only if `casVersion` is still
   * its current version. Returns the new version.
   */
  async writeVersion(
    mount: string,
    path: string,
    data: Record<string, string>,
    casVersion: number,
    signal?: AbortSignal,
  ): Promise<number> {
    const what = `write a new version of '${mount}/${path}'`;
    const res = await this.call({
      method: 'POST',
      apiPath: `/v1/${mount}/data/${path}`,
      what,
      body: JSON.stringify({ options: { cas: casVersion }, data }),
      signal,
      writes: true,
    });
    if (res.status === 400) {
      const reason = vaultErrors(await res.text());
      if (reason.includes('check-and-set')) {
        throw new ConflictError(
          `The secret '${mount}/${path}' changed while it was being rotated (it is no longer at version ${casVersion}); nothing was written, run the rotation again`,
        );
      }
      throw new ServiceUnavailableError(
        `Vault refused to ${what}: ${reason} (400)`,
      );
    }
    await this.assertOk(res, what);
    const body = (await res.json()) as { data?: { version?: unknown } };
    const version = body.data?.version;
    if (typeof version !== 'number') {
      throw new ServiceUnavailableError(
        `Vault answered without a version when asked to ${what}`,
      );
    }
    return version;
  }

  private async assertOk(res: Response, what: string): Promise<void> {
    if (res.ok) {
      return;
    }
    const reason = vaultErrors(await res.text());
    const status = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (res.status === 403) {
      throw new NotAllowedError(
        `Vault refused to ${what}: ${reason} (${status}); the portal's Vault policy must allow it`,
      );
    }
    if (res.status === 404) {
      throw new NotFoundError(`Vault could not ${what}: ${reason} (${status})`);
    }
    throw new ServiceUnavailableError(
      `Vault failed to ${what}: ${reason} (${status})`,
    );
  }

  private async call(request: VaultRequest): Promise<Response> {
    const token = await this.token(request.signal);
    return this.send({ ...request, headers: { 'X-Vault-Token': token } });
  }

  private async token(signal: AbortSignal | undefined): Promise<string> {
    const { auth } = this.settings;
    if (auth.kind === 'token') {
      return auth.token;
    }
    let jwt: string;
    try {
      jwt = (await fs.readFile(auth.jwtPath, 'utf8')).trim();
    } catch (error) {
      throw new ServiceUnavailableError(
        `Cannot read the Kubernetes service account token for Vault at ${
          auth.jwtPath
        } (pavedRoad.vault.kubernetes.jwtPath): ${
          (error as NodeJS.ErrnoException).code ?? 'unreadable'
        }`,
      );
    }
    const what = `log in with Kubernetes auth (role '${auth.role}')`;
    const res = await this.send({
      method: 'POST',
      apiPath: `/v1/auth/${auth.mountPath}/login`,
      what,
      body: JSON.stringify({ role: auth.role, jwt }),
      signal,
    });
    if (res.status === 400) {
      throw new NotAllowedError(
        `Vault refused to ${what}: ${vaultErrors(await res.text())} (400)`,
      );
    }
    await this.assertOk(res, what);
    const body = (await res.json()) as { auth?: { client_token?: unknown } };
    const clientToken = body.auth?.client_token;
    if (typeof clientToken !== 'string' || !clientToken) {
      throw new ServiceUnavailableError(
        `Vault answered without a client token when asked to ${what}`,
      );
    }
    return clientToken;
  }

  private async send(
    request: VaultRequest & { headers?: Record<string, string> },
  ): Promise<Response> {
    const { method, apiPath, what, body, signal, writes, headers } = request;
    const { address, namespace, timeoutMs } = this.settings;
    const url = new URL(apiPath, address);
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(url, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...(namespace ? { 'X-Vault-Namespace': namespace } : {}),
          ...headers,
        },
        body,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (isTimeout(error) || timeout.aborted) {
        throw new ServiceUnavailableError(
          `Vault at ${
            address.origin
          } did not answer within ${timeoutMs} ms when asked to ${what}${
            writes
              ? '; the write may or may not have happened, check the secret before running again'
              : ''
          }`,
        );
      }
      if (signal?.aborted) {
        throw new ServiceUnavailableError(
          `The task was cancelled while waiting for Vault to ${what}`,
        );
      }
      const cause = (error as { cause?: { code?: unknown } }).cause;
      throw new ServiceUnavailableError(
        `Cannot reach Vault at ${address.origin} to ${what} (${
          typeof cause?.code === 'string' ? cause.code : (error as Error).name
        })`,
      );
    }
  }
}
