import { delay, http, HttpResponse } from 'msw';
import { RecordedRequest, recordRequest } from './recordedRequest';

/** One request as the fake saw it. */
export type KubernetesRequest = RecordedRequest;

type Deployment = {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

type Failure = 'forbidden' | 'not-found' | 'slow';

function status(code: number, reason: string, message: string, name?: string) {
  return HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      details: name ? { name, group: 'apps', kind: 'deployments' } : {},
      code,
    },
    { status: code },
  );
}

function deploymentObject(d: Deployment) {
  return {
    metadata: {
      name: d.name,
      namespace: d.namespace,
      uid: `uid-${d.namespace}-${d.name}`,
      resourceVersion: '4711',
      generation: 3,
      labels: d.labels,
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: d.name } },
      template: {
        metadata: {
          labels: { app: d.name, ...d.labels },
          annotations: d.annotations,
        },
        spec: { containers: [{ name: d.name, image: `${d.name}:1.0.0` }] },
      },
    },
    status: { replicas: 2, readyReplicas: 2 },
  };
}

/**
 * One cluster's API server at the HTTP layer: lists Deployments by label selector (in a
 * namespace or in all) and applies strategic merge patches to the pod template's
 * annotations. Errors are Kubernetes Status objects, as the API server sends them.
 */
export class FakeCluster {
  readonly requests: KubernetesRequest[] = [];
  readonly deployments: Deployment[] = [];
  private readonly failures = new Map<string, Failure>();

  constructor(
    readonly url: string,
    readonly token: string,
    readonly options: { slowMs?: number; user?: string } = {},
  ) {}

  addDeployment(
    namespace: string,
    name: string,
    labels: Record<string, string>,
  ): void {
    this.deployments.push({ namespace, name, labels, annotations: {} });
  }

  /** `list`, or `patch:<namespace>/<name>` */
  fail(call: string, failure: Failure) {
    this.failures.set(call, failure);
  }

  heal() {
    this.failures.clear();
  }

  patches(): KubernetesRequest[] {
    return this.requests.filter(r => r.method === 'PATCH');
  }

  private user() {
    return this.options.user ?? 'system:serviceaccount:backstage:paved-road';
  }

  handlers() {
    const record = (request: Request) => recordRequest(this.requests, request);
    const unauthorized = (request: Request) =>
      request.headers.get('authorization') !== `Bearer ${this.token}`
        ? status(401, 'Unauthorized', 'Unauthorized')
        : undefined;

    const list = async ({
      request,
      params,
    }: {
      request: Request;
      params: Record<string, unknown>;
    }) => {
      await record(request);
      const denied = unauthorized(request);
      if (denied) {
        return denied;
      }
      const namespace = params.namespace as string | undefined;
      const failure = this.failures.get('list');
      if (failure === 'slow') {
        await delay(this.options.slowMs ?? 60_000);
      }
      if (failure === 'forbidden') {
        return status(
          403,
          'Forbidden',
          `deployments.apps is forbidden: User "${this.user()}" cannot list resource "deployments" in API group "apps" ${
            namespace
              ? `in the namespace "${namespace}"`
              : 'at the cluster scope'
          }`,
        );
      }
      const selector = new URL(request.url).searchParams.get('labelSelector');
      const [key, value] = (selector ?? '').split('=');
      const items = this.deployments
        .filter(d => !namespace || d.namespace === namespace)
        .filter(d => !selector || d.labels[key] === value)
        .map(deploymentObject);
      return HttpResponse.json({
        kind: 'DeploymentList',
        apiVersion: 'apps/v1',
        metadata: { resourceVersion: '4711' },
        items,
      });
    };

    return [
      http.get(`${this.url}/apis/apps/v1/deployments`, list),
      http.get(
        `${this.url}/apis/apps/v1/namespaces/:namespace/deployments`,
        list,
      ),
      http.patch(
        `${this.url}/apis/apps/v1/namespaces/:namespace/deployments/:name`,
        async ({ request, params }) => {
          await record(request);
          const denied = unauthorized(request);
          if (denied) {
            return denied;
          }
          const namespace = params.namespace as string;
          const name = params.name as string;
          const failure = this.failures.get(`patch:${namespace}/${name}`);
          if (failure === 'slow') {
            await delay(this.options.slowMs ?? 60_000);
          }
          if (failure === 'forbidden') {
            return status(
              403,
              'Forbidden',
              `deployments.apps "${name}" is forbidden: User "${this.user()}" cannot patch resource "deployments" in API group "apps" in the namespace "${namespace}"`,
              name,
            );
          }
          const deployment = this.deployments.find(
            d => d.namespace === namespace && d.name === name,
          );
          if (!deployment || failure === 'not-found') {
            return status(
              404,
              'NotFound',
              `deployments.apps "${name}" not found`,
              name,
            );
          }
          if (
            request.headers.get('content-type') !==
            'application/strategic-merge-patch+json'
          ) {
            return status(
              415,
              'UnsupportedMediaType',
              `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
            );
          }
          const patch = (await request.json()) as {
            spec?: {
              template?: {
                metadata?: { annotations?: Record<string, string> };
              };
            };
          };
          Object.assign(
            deployment.annotations,
            patch.spec?.template?.metadata?.annotations ?? {},
          );
          return HttpResponse.json({
            kind: 'Deployment',
            apiVersion: 'apps/v1',
            ...deploymentObject(deployment),
          });
        },
      ),
    ];
  }
}
