import { mockCredentials } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { FakeCluster } from '../__testUtils__/fakeKubernetes';
import { FakeVault } from '../__testUtils__/fakeVault';
import { findLeaks, leakForms } from '../__testUtils__/secretScan';
import { captureServices } from './__testUtils__/captureServices';
import {
  GoldenPathBackend,
  runTemplate,
  startGoldenPathBackend,
  TaskResult,
  waitForTask,
  expectCompleted,
} from './__testUtils__/portalBackend';

// "Rotate a secret" as a real task in the real scaffolder, against Vault and a
// Kubernetes API server simulated at the HTTP layer (they cannot run here), with every
// log line, audit event and task event of the backend kept, to look for the secret.

jest.setTimeout(300_000);

const VAULT_TOKEN = 'hvs.portal-rotation-token';
const CLUSTER_TOKEN = 'sa-token-prod-eu-1';
const vault = new FakeVault('https://vault.paved-road.test:8200', {
  token: VAULT_TOKEN,
  slowMs: 5_000,
});
const cluster = new FakeCluster(
  'https://prod-eu-1.k8s.paved-road.test',
  CLUSTER_TOKEN,
);
// the test talks to the backend over real HTTP: only Vault and the cluster are simulated
const server = setupServer(...vault.handlers(), ...cluster.handlers());
const capture = captureServices();

let backend: GoldenPathBackend;

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'bypass' });
  backend = await startGoldenPathBackend({
    config: {
      pavedRoad: {
        vault: { address: vault.address, token: VAULT_TOKEN, timeoutMs: 1_000 },
      },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'prod-eu-1',
                url: cluster.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: CLUSTER_TOKEN,
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
    },
    features: capture.factories,
  });
  // the sample catalog is read after the templates: wait for the services used here
  for (const name of ['payments-api', 'ledger-worker']) {
    const deadline = Date.now() + 60_000;
    while (
      (
        await request(backend.server)
          .get(`/api/catalog/entities/by-name/component/default/${name}`)
          .set('Authorization', mockCredentials.user.header())
      ).status !== 200
    ) {
      if (Date.now() > deadline) {
        throw new Error(`${name} is not in the catalog`);
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }
});
afterAll(async () => {
  await backend?.close();
  server.close();
});
beforeEach(() => {
  vault.heal();
  cluster.heal();
  cluster.deployments.length = 0;
  cluster.addDeployment('payments', 'payments-api', {
    'backstage.io/kubernetes-id': 'payments-api',
  });
  vault.seed('secret/services/payments-api/db-password', 3);
});

/** Everything the backend emitted for this task or at all: what must not hold the value. */
async function emitted(task: TaskResult): Promise<Record<string, string>> {
  const details = await request(backend.server)
    .get(`/api/scaffolder/v2/tasks/${task.id}`)
    .set('Authorization', mockCredentials.user.header());
  return {
    'task events (logs and output)': JSON.stringify(task.events),
    task: JSON.stringify(details.body),
    'backend logs': capture.logs.join('\n'),
    'audit events': capture.audits.join('\n'),
  };
}

const rotate = () =>
  runTemplate(backend.server, 'rotate-secret', {
    service: 'component:default/payments-api',
    secret: 'db-password',
  });

describe('Rotate a secret', () => {
  it('writes a new version, restarts the pods and reports the version, and nothing it emits holds the value', async () => {
    const task = await rotate();

    expectCompleted(task);
    expect(task.output.text).toEqual([
      {
        title: 'Rotated',
        content:
          'Secret `services/payments-api/db-password` is at version **4**; restarted: prod-eu-1/payments/payments-api.',
      },
    ]);
    const [written] = vault.writes();
    expect(JSON.parse(written.body)).toEqual({
      options: { cas: 3 },
      data: { value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
    });
    expect(
      cluster.deployments[0].annotations['kubectl.kubernetes.io/restartedAt'],
    ).toEqual(expect.any(String));

    const haystack = await emitted(task);
    // the capture works: the task's own messages are in it
    expect(haystack['backend logs']).toContain(
      'Wrote version 4 of the Vault secret',
    );
    expect(haystack['audit events']).toContain('rotate-secret');
    expect(findLeaks(vault.writtenValues(), haystack)).toEqual([]);
    expect(Object.values(haystack).join('\n')).not.toContain(VAULT_TOKEN);
  });

  it('says the secret was written when the restart fails, and a retry does not write it again', async () => {
    cluster.fail('patch:payments/payments-api', 'forbidden');
    const writesBefore = vault.writes().length;

    const failed = await rotate();

    expect(failed.status).toBe('failed');
    expect(failed.log).toContain(
      `Secret services/payments-api/db-password written as version 4, but the Deployments of 'payments-api' were not restarted; caused by NotAllowedError: Cluster 'prod-eu-1' refused to restart Deployment 'payments/payments-api': deployments.apps "payments-api" is forbidden: User "system:serviceaccount:backstage:paved-road" cannot patch resource "deployments" in API group "apps" in the namespace "payments" (403 Forbidden)`,
    );
    expect(vault.writes()).toHaveLength(writesBefore + 1);

    // the cluster is fixed; the user presses Retry
    cluster.heal();
    const retry = await request(backend.server)
      .post(`/api/scaffolder/v2/tasks/${failed.id}/retry`)
      .set('Authorization', mockCredentials.user.header())
      .send({});
    expect(retry.status).toBe(201);
    const retried = await waitForTask(backend.server, failed.id);

    expect(retried.status).toBe('completed');
    expect(vault.writes()).toHaveLength(writesBefore + 1);
    expect(
      vault.secrets.get('secret/services/payments-api/db-password'),
    ).toHaveLength(4);
    expect(retried.output.text[0].content).toContain('is at version **4**');
    expect(findLeaks(vault.writtenValues(), await emitted(retried))).toEqual(
      [],
    );
  });

  it('says Vault refused, and restarts nothing', async () => {
    vault.fail('write', 'forbidden');
    const patchesBefore = cluster.patches().length;

    const task = await rotate();

    expect(task.status).toBe('failed');
    expect(task.log).toContain(
      "Vault refused to write a new version of 'secret/services/payments-api/db-password': permission denied (403 Forbidden)",
    );
    expect(cluster.patches()).toHaveLength(patchesBefore);
    expect(findLeaks(vault.writtenValues(), await emitted(task))).toEqual([]);
  });

  it('says a concurrent change was not overwritten (check-and-set)', async () => {
    vault.race('secret/services/payments-api/db-password');

    const task = await rotate();

    expect(task.status).toBe('failed');
    expect(task.log).toContain(
      "The secret 'secret/services/payments-api/db-password' changed while it was being rotated (it is no longer at version 3); nothing was written",
    );
    expect(findLeaks(vault.writtenValues(), await emitted(task))).toEqual([]);
  });

  it('gives up on a slow Vault', async () => {
    vault.fail('read', 'slow');

    const task = await rotate();

    expect(task.status).toBe('failed');
    expect(task.log).toContain(
      `Vault at ${vault.address} did not answer within 1000 ms when asked to read the metadata of 'secret/services/payments-api/db-password'`,
    );
  });

  it('says the secret was written but no Deployment was found to restart', async () => {
    vault.seed('secret/services/ledger-worker/api-key', 1);

    const task = await runTemplate(backend.server, 'rotate-secret', {
      service: 'component:default/ledger-worker',
      secret: 'api-key',
    });

    expect(task.status).toBe('failed');
    expect(task.log).toContain(
      "Secret services/ledger-worker/api-key written as version 2, but the Deployments of 'ledger-worker' were not restarted; caused by NotFoundError: No Deployment labelled backstage.io/kubernetes-id=ledger-worker on cluster 'prod-eu-1'",
    );
  });

  it('nothing the backend emitted in all these tasks holds any value written', async () => {
    const everything = {
      'backend logs': capture.logs.join('\n'),
      'audit events': capture.audits.join('\n'),
    };
    expect(vault.writtenValues().length).toBeGreaterThan(3);
    expect(findLeaks(vault.writtenValues(), everything)).toEqual([]);
    // and the scan finds a value where there is one, in each encoding it looks for
    const [value] = vault.writtenValues();
    for (const form of leakForms(value)) {
      expect(findLeaks([value], { planted: `x${form}x` })).not.toEqual([]);
    }
  });
});
