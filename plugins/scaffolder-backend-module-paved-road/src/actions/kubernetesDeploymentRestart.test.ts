import os from 'node:os';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import { parse } from 'yaml';
import { readKubernetesClusters } from '../clients/kubernetesClusters';
import { createKubernetesDeploymentRestartAction } from './kubernetesDeploymentRestart';
import { examples } from './kubernetesDeploymentRestart.examples';
import { FakeCluster } from '../__testUtils__/fakeKubernetes';
import { checkpointStore, createTestContext } from '../__testUtils__/harness';

const EU_TOKEN = 'sa-token-prod-eu-1';
const US_TOKEN = 'sa-token-prod-us-1';
const ID = 'payments-api';

const eu = new FakeCluster('https://prod-eu-1.k8s.example.com', EU_TOKEN, {
  slowMs: 2_000,
});
const us = new FakeCluster('https://prod-us-1.k8s.example.com:6443', US_TOKEN);
const server = setupServer(...eu.handlers(), ...us.handlers());

const clusters = [
  {
    name: 'prod-eu-1',
    url: eu.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: EU_TOKEN,
    caData: Buffer.from(
      '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    ).toString('base64'),
  },
  {
    name: 'prod-us-1',
    url: us.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: US_TOKEN,
    skipTLSVerify: true,
  },
  // needs the signed-in user's own AWS credentials: the portal cannot use it
  {
    name: 'eks-sandbox',
    url: 'https://sandbox.eks.example.com',
    authProvider: 'aws',
  },
];

function kubernetesConfig(list: JsonObject[] = clusters) {
  return new ConfigReader({
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        { type: 'catalog' },
        { type: 'config', clusters: list },
      ],
    },
  });
}

function createAction(list?: JsonObject[]) {
  return createKubernetesDeploymentRestartAction({
    clusters: readKubernetesClusters(kubernetesConfig(list)),
    timeoutMs: 200,
  });
}

async function run(
  input: JsonObject,
  options: {
    isDryRun?: boolean;
    checkpoints?: ReturnType<typeof checkpointStore>;
    action?: ReturnType<typeof createAction>;
  } = {},
) {
  const { context, outputs, lines } = createTestContext({
    input,
    taskId: 'task-restart',
    isDryRun: options.isDryRun,
    checkpoints: options.checkpoints,
  });
  let error: Error | undefined;
  try {
    await (options.action ?? createAction()).handler(context as any);
  } catch (e) {
    error = e as Error;
  }
  // the service account tokens are never in what the task shows
  expect(
    [...lines, JSON.stringify(outputs), error?.message ?? ''].join('\n'),
  ).not.toMatch(/sa-token-prod/);
  return { outputs, lines, error };
}

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  for (const cluster of [eu, us]) {
    cluster.requests.length = 0;
    cluster.deployments.length = 0;
    cluster.heal();
  }
  eu.addDeployment('payments', ID, { 'backstage.io/kubernetes-id': ID });
  eu.addDeployment('payments', `${ID}-worker`, {
    'backstage.io/kubernetes-id': ID,
  });
  eu.addDeployment('payments', 'ledger-worker', {
    'backstage.io/kubernetes-id': 'ledger-worker',
  });
  us.addDeployment('payments-us', ID, { 'backstage.io/kubernetes-id': ID });
});

describe('kubernetes:deployment:restart', () => {
  it('restarts every Deployment of the service on every cluster, as kubectl rollout restart does', async () => {
    const { outputs, lines, error } = await run({ kubernetesId: ID });

    expect(error).toBeUndefined();
    expect(outputs.restarted).toEqual([
      'prod-eu-1/payments/payments-api',
      'prod-eu-1/payments/payments-api-worker',
      'prod-us-1/payments-us/payments-api',
    ]);
    const restartedAt = outputs.restartedAt as string;
    expect(new Date(restartedAt).toISOString()).toBe(restartedAt);

    // listed in all namespaces by label, with each cluster's own token
    expect(eu.requests[0]).toMatchObject({
      method: 'GET',
      path: '/apis/apps/v1/deployments?labelSelector=backstage.io%2Fkubernetes-id%3Dpayments-api',
    });
    expect(eu.requests[0].headers.authorization).toBe(`Bearer ${EU_TOKEN}`);
    expect(us.requests[0].headers.authorization).toBe(`Bearer ${US_TOKEN}`);

    const patch = eu.patches()[0];
    expect(patch.path).toBe(
      '/apis/apps/v1/namespaces/payments/deployments/payments-api',
    );
    expect(patch.headers['content-type']).toBe(
      'application/strategic-merge-patch+json',
    );
    expect(JSON.parse(patch.body)).toEqual({
      spec: {
        template: {
          metadata: {
            annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt },
          },
        },
      },
    });
    expect(eu.deployments.map(d => d.annotations)).toEqual([
      { 'kubectl.kubernetes.io/restartedAt': restartedAt },
      { 'kubectl.kubernetes.io/restartedAt': restartedAt },
      {},
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        "warn Skipping cluster 'eks-sandbox': authProvider 'aws' needs the user's own credentials",
        'info Restarted Deployment prod-us-1/payments-us/payments-api',
      ]),
    );
  });

  it('looks in one namespace when given one', async () => {
    const { outputs } = await run({ kubernetesId: ID, namespace: 'payments' });

    expect(eu.requests[0].path).toBe(
      '/apis/apps/v1/namespaces/payments/deployments?labelSelector=backstage.io%2Fkubernetes-id%3Dpayments-api',
    );
    expect(outputs.restarted).toEqual([
      'prod-eu-1/payments/payments-api',
      'prod-eu-1/payments/payments-api-worker',
    ]);
  });

  it('fails clearly when the service has no Deployment, and restarts nothing', async () => {
    const { error } = await run({
      kubernetesId: 'fraud-rules-engine',
      reason:
        'Secret secret/services/fraud-rules-engine/api-key written as version 4',
    });

    expect(error?.name).toBe('NotFoundError');
    expect(error?.message).toBe(
      "Secret secret/services/fraud-rules-engine/api-key written as version 4, but the Deployments of 'fraud-rules-engine' were not restarted; caused by NotFoundError: No Deployment labelled backstage.io/kubernetes-id=fraud-rules-engine on cluster 'prod-eu-1', 'prod-us-1'",
    );
    expect([...eu.patches(), ...us.patches()]).toEqual([]);
  });

  it("reports the API server's 403 Forbidden, saying what came before", async () => {
    us.fail('patch:payments-us/payments-api', 'forbidden');

    const { error, lines } = await run({
      kubernetesId: ID,
      reason:
        'Secret secret/services/payments-api/db-password written as version 7',
    });

    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toBe(
      'Secret secret/services/payments-api/db-password written as version 7, but the Deployments of \'payments-api\' were not restarted; caused by NotAllowedError: Cluster \'prod-us-1\' refused to restart Deployment \'payments-us/payments-api\': deployments.apps "payments-api" is forbidden: User "system:serviceaccount:backstage:paved-road" cannot patch resource "deployments" in API group "apps" in the namespace "payments-us" (403 Forbidden)',
    );
    expect(lines).toContain(
      'warn Restarted before the failure: prod-eu-1/payments/payments-api, prod-eu-1/payments/payments-api-worker',
    );
  });

  it('reports a 403 on listing before restarting anything', async () => {
    eu.fail('list', 'forbidden');

    const { error } = await run({ kubernetesId: ID, namespace: 'payments' });

    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain(
      'cannot list resource "deployments" in API group "apps" in the namespace "payments" (403 Forbidden)',
    );
    expect([...eu.patches(), ...us.patches()]).toEqual([]);
  });

  it('reports a Deployment deleted between listing and restarting (404 NotFound)', async () => {
    eu.fail('patch:payments/payments-api-worker', 'not-found');

    const { error } = await run({ kubernetesId: ID });

    expect(error?.name).toBe('NotFoundError');
    expect(error?.message).toContain(
      "Cluster 'prod-eu-1' refused to restart Deployment 'payments/payments-api-worker': deployments.apps \"payments-api-worker\" not found (404 NotFound)",
    );
  });

  it('gives up on a slow API server after the timeout', async () => {
    eu.fail('list', 'slow');
    const started = Date.now();

    const { error } = await run({ kubernetesId: ID });

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error?.name).toBe('ServiceUnavailableError');
    expect(error?.message).toContain(
      "Cluster 'prod-eu-1' did not answer within 200 ms when asked to list the Deployments labelled backstage.io/kubernetes-id=payments-api",
    );
    expect([...eu.patches(), ...us.patches()]).toEqual([]);
  });

  it('refuses a wrong token with 401 as not allowed', async () => {
    const action = createAction([
      { ...clusters[0], serviceAccountToken: 'sa-token-prod-expired' },
    ]);
    const { error } = await run({ kubernetesId: ID }, { action });
    expect(error?.name).toBe('NotAllowedError');
    expect(error?.message).toContain('Unauthorized (401 Unauthorized)');
  });

  it('on a retry, restarts only the Deployments it had not reached, with the same timestamp', async () => {
    const checkpoints = checkpointStore();
    us.fail('patch:payments-us/payments-api', 'forbidden');
    const first = await run({ kubernetesId: ID }, { checkpoints });
    expect(first.error?.name).toBe('NotAllowedError');
    const firstRestartedAt =
      eu.deployments[0].annotations['kubectl.kubernetes.io/restartedAt'];
    expect(eu.patches()).toHaveLength(2);

    us.heal();
    const second = await run({ kubernetesId: ID }, { checkpoints });

    expect(second.error).toBeUndefined();
    expect(eu.patches()).toHaveLength(2);
    expect(us.patches()).toHaveLength(2);
    expect(second.outputs.restartedAt).toBe(firstRestartedAt);
    expect(second.outputs.restarted).toHaveLength(3);
  });

  it('lists but restarts nothing in a dry run', async () => {
    const { outputs, lines } = await run(
      { kubernetesId: ID },
      { isDryRun: true },
    );
    expect(outputs.restarted).toHaveLength(3);
    expect([...eu.patches(), ...us.patches()]).toEqual([]);
    expect(lines.join('\n')).toContain('Dry run: would restart');
  });

  it.each<[string, JsonObject]>([
    ['kubernetesId', {}],
    ['kubernetesId', { kubernetesId: 'payments api' }],
    ['kubernetesId', { kubernetesId: 'x'.repeat(64) }],
    ['namespace', { kubernetesId: ID, namespace: 'Payments' }],
    ['reason', { kubernetesId: ID, reason: 'line one\nline two' }],
  ])('refuses a bad %s before calling any cluster', async (field, input) => {
    const { error } = await run(input);
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toContain(`'${field}'`);
    expect([...eu.requests, ...us.requests]).toEqual([]);
  });

  it('says so when no usable cluster is configured', async () => {
    const { error } = await run(
      { kubernetesId: ID },
      { action: createAction([clusters[2]]) },
    );
    expect(error?.name).toBe('NotImplementedError');
    expect(error?.message).toContain(
      "Restarting a service's pods is not set up on this portal: ask the platform team.",
    );
  });

  it('stops at startup on a malformed cluster, naming its key', () => {
    expect(() =>
      createAction([
        { name: 'broken', url: 'not a url', serviceAccountToken: 'x' },
      ]),
    ).toThrow(
      "Invalid config 'kubernetes.clusterLocatorMethods[1].clusters[0].url': must be an absolute URL",
    );
    expect(() =>
      createAction([
        {
          name: 'broken',
          url: 'https://k8s.example.com',
          caFile: `${os.tmpdir()}/missing-ca.pem`,
          serviceAccountToken: 'x',
        },
      ]),
    ).toThrow(
      "Invalid config 'kubernetes.clusterLocatorMethods[1].clusters[0].caFile'",
    );
  });

  it('runs every documented example', async () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const [step] = parse(example.example).steps;
      expect(step.action).toBe('kubernetes:deployment:restart');
      const { error, outputs } = await run(step.input);
      expect(error).toBeUndefined();
      expect((outputs.restarted as string[]).length).toBeGreaterThan(0);
    }
  });
});
