import { delay, http, HttpResponse } from 'msw';
import { RecordedRequest, recordRequest } from './recordedRequest';

/** One request as the fake saw it. */
export type VaultRequest = RecordedRequest;

type Failure = 'forbidden' | 'slow';

const VERSION_METADATA = {
  deletion_time: '',
  destroyed: false,
};

function envelope(data: unknown) {
  return {
    request_id: crypto.randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    mount_type: 'kv',
  };
}

/**
 * A Vault server at the HTTP layer, as far as the portal uses it: KV v2 metadata and
 * writes with check-and-set under every mount, token auth, and Kubernetes auth at
 * `auth/kubernetes`. Requests, answers and error bodies have Vault's real shapes.
 */
export class FakeVault {
  readonly requests: VaultRequest[] = [];
  /** `mount/path` → the data of each version, oldest first. */
  readonly secrets = new Map<string, Array<Record<string, string>>>();
  private readonly failures = new Map<string, Failure>();
  /** Changes the secret right before a write is answered: a concurrent rotation. */
  private racing = new Set<string>();

  constructor(
    readonly address: string,
    readonly options: {
      token?: string;
      kubernetes?: { role: string; jwt: string; clientToken: string };
      slowMs?: number;
    },
  ) {}

  /** A secret with `versions` versions already written. */
  seed(secret: string, versions = 1) {
    this.secrets.set(
      secret,
      Array.from({ length: versions }, (_, i) => ({ value: `old-${i + 1}` })),
    );
  }

  /** Makes the next matching requests fail: `write` (POST data), `read` (GET metadata), `login`. */
  fail(call: 'write' | 'read' | 'login', failure: Failure) {
    this.failures.set(call, failure);
  }

  /** Another writer adds a version of `secret` just before the portal's write lands. */
  race(secret: string) {
    this.racing.add(secret);
  }

  heal() {
    this.failures.clear();
    this.racing.clear();
  }

  writes(): VaultRequest[] {
    return this.requests.filter(
      r => r.method === 'POST' && r.path.includes('/data/'),
    );
  }

  /** Every value the portal sent to be written, whether or not Vault accepted it. */
  writtenValues(): string[] {
    return this.writes().flatMap(r =>
      Object.values(
        (JSON.parse(r.body) as { data?: Record<string, string> }).data ?? {},
      ),
    );
  }

  private async failure(call: string) {
    const failure = this.failures.get(call);
    if (failure === 'forbidden') {
      return HttpResponse.json(
        { errors: ['permission denied'] },
        { status: 403 },
      );
    }
    if (failure === 'slow') {
      await delay(this.options.slowMs ?? 60_000);
    }
    return undefined;
  }

  private authorized(request: Request) {
    const token = request.headers.get('x-vault-token');
    const valid = [
      this.options.token,
      this.options.kubernetes?.clientToken,
    ].filter(Boolean);
    return token !== null && valid.includes(token);
  }

  handlers() {
    const record = (request: Request) => recordRequest(this.requests, request);
    const denied = () =>
      HttpResponse.json({ errors: ['permission denied'] }, { status: 403 });

    return [
      http.post(
        `${this.address}/v1/auth/kubernetes/login`,
        async ({ request }) => {
          await record(request);
          const failed = await this.failure('login');
          if (failed) {
            return failed;
          }
          const { role, jwt } = (await request.json()) as {
            role?: string;
            jwt?: string;
          };
          const kubernetes = this.options.kubernetes;
          if (!kubernetes || role !== kubernetes.role) {
            return HttpResponse.json(
              { errors: [`invalid role name "${role}"`] },
              { status: 400 },
            );
          }
          if (jwt !== kubernetes.jwt) {
            return denied();
          }
          return HttpResponse.json({
            ...envelope(null),
            auth: {
              client_token: kubernetes.clientToken,
              accessor: 'accessor-1',
              policies: ['default', 'paved-road-rotate'],
              token_policies: ['default', 'paved-road-rotate'],
              lease_duration: 3600,
              renewable: true,
            },
          });
        },
      ),

      http.get(
        `${this.address}/v1/:mount/metadata/*`,
        async ({ request, params }) => {
          await record(request);
          if (!this.authorized(request)) {
            return denied();
          }
          const failed = await this.failure('read');
          if (failed) {
            return failed;
          }
          const secret = `${params.mount}/${params[0]}`;
          const versions = this.secrets.get(secret);
          if (!versions) {
            return HttpResponse.json({ errors: [] }, { status: 404 });
          }
          return HttpResponse.json(
            envelope({
              cas_required: false,
              created_time: '2026-01-05T09:00:00.000000Z',
              current_version: versions.length,
              custom_metadata: null,
              delete_version_after: '0s',
              max_versions: 0,
              oldest_version: 1,
              updated_time: '2026-03-01T12:00:00.000000Z',
              versions: Object.fromEntries(
                versions.map((_, i) => [
                  String(i + 1),
                  {
                    created_time: '2026-03-01T12:00:00.000000Z',
                    ...VERSION_METADATA,
                  },
                ]),
              ),
            }),
          );
        },
      ),

      http.post(
        `${this.address}/v1/:mount/data/*`,
        async ({ request, params }) => {
          await record(request);
          if (!this.authorized(request)) {
            return denied();
          }
          const failed = await this.failure('write');
          if (failed) {
            return failed;
          }
          const secret = `${params.mount}/${params[0]}`;
          if (this.racing.delete(secret)) {
            this.secrets
              .get(secret)
              ?.push({ value: 'written-by-someone-else' });
          }
          const body = (await request.json()) as {
            options?: { cas?: number };
            data?: Record<string, string>;
          };
          const versions = this.secrets.get(secret) ?? [];
          if (
            body.options?.cas !== undefined &&
            body.options.cas !== versions.length
          ) {
            return HttpResponse.json(
              {
                errors: [
                  'check-and-set parameter did not match the current version',
                ],
              },
              { status: 400 },
            );
          }
          versions.push(body.data ?? {});
          this.secrets.set(secret, versions);
          return HttpResponse.json(
            envelope({
              created_time: '2026-03-02T08:00:00.000000Z',
              custom_metadata: null,
              ...VERSION_METADATA,
              version: versions.length,
            }),
          );
        },
      ),
    ];
  }
}
