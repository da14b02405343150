import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Config } from '@backstage/config';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

const LOCATORS_KEY = 'kubernetes.clusterLocatorMethods';
const DEFAULT_TIMEOUT_MS = 10_000;

/** A cluster the portal can change: one of the Kubernetes plugin's, with a service account token. */
export type KubernetesCluster = {
  name: string;
  url: URL;
  serviceAccountToken: string;
  /** PEM certificate authorities (from `caData` or `caFile`); the system's when unset. */
  ca?: string;
  skipTLSVerify: boolean;
};

/** Clusters of the Kubernetes plugin's config, and those the portal cannot use, with why. */
export type KubernetesClusters = {
  clusters: KubernetesCluster[];
  skipped: Array<{ name: string; reason: string }>;
};

/**
 * Reads the clusters configured for the Kubernetes plugin
 * (`kubernetes.clusterLocatorMethods[]` of type `config`). Only clusters with
 * `authProvider: serviceAccount` and a `serviceAccountToken` can be used without a
 * user's own cloud credentials; the others are listed as skipped. A malformed cluster
 * stops the backend at startup, naming its key.
 */
export function readKubernetesClusters(config: Config): KubernetesClusters {
  const result: KubernetesClusters = { clusters: [], skipped: [] };
  const methods = config.getOptionalConfigArray(LOCATORS_KEY) ?? [];
  for (const [i, method] of methods.entries()) {
    if (method.getOptionalString('type') !== 'config') {
      continue;
    }
    const clusters = method.getOptionalConfigArray('clusters') ?? [];
    for (const [j, cluster] of clusters.entries()) {
      const key = `${LOCATORS_KEY}[${i}].clusters[${j}]`;
      const name = cluster.getString('name');
      let url: URL;
      try {
        url = new URL(cluster.getString('url'));
      } catch {
        throw new Error(`Invalid config '${key}.url': must be an absolute URL`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new Error(`Invalid config '${key}.url': must be an https URL`);
      }
      const authProvider =
        cluster.getOptionalString('authProvider') ?? 'serviceAccount';
      const serviceAccountToken = cluster.getOptionalString(
        'serviceAccountToken',
      );
      if (authProvider !== 'serviceAccount') {
        result.skipped.push({
          name,
          reason: `authProvider '${authProvider}' needs the user's own credentials`,
        });
        continue;
      }
      if (!serviceAccountToken) {
        result.skipped.push({ name, reason: 'no serviceAccountToken' });
        continue;
      }
      const caData = cluster.getOptionalString('caData');
      const caFile = cluster.getOptionalString('caFile');
      let ca: string | undefined;
      if (caData) {
        ca = Buffer.from(caData, 'base64').toString('utf8');
      } else if (caFile) {
        try {
          ca = fs.readFileSync(caFile, 'utf8');
        } catch (error) {
          throw new Error(
            `Invalid config '${key}.caFile': cannot read ${caFile} (${
              (error as NodeJS.ErrnoException).code
            })`,
          );
        }
      }
      result.clusters.push({
        name,
        url,
        serviceAccountToken,
        ca,
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  }
  return result;
}

/** A Deployment found by label: where it lives. */
export type DeploymentRef = { namespace: string; name: string };

type Answer = { status: number; statusText: string; body: string };

/** Kubernetes answers errors with a Status object: `{kind: "Status", message, reason, code}`. */
function statusMessage(answer: Answer): string {
  try {
    const status = JSON.parse(answer.body) as {
      kind?: unknown;
      message?: unknown;
      reason?: unknown;
    };
    if (status.kind === 'Status' && typeof status.message === 'string') {
      return `${status.message} (${answer.status}${
        typeof status.reason === 'string' ? ` ${status.reason}` : ''
      })`;
    }
  } catch {
    // not JSON: a proxy in front of the API server answered
  }
  return `${answer.status} ${answer.statusText}`.trim();
}

/**
 * The two calls a rollout restart needs, against one cluster's API server, authenticated
 * with its service account token.
 */
export class KubernetesDeploymentsApi {
  private readonly agent: http.Agent;

  constructor(
    private readonly cluster: KubernetesCluster,
    private readonly options: { timeoutMs?: number } = {},
  ) {
    this.agent =
      cluster.url.protocol === 'https:'
        ? new https.Agent({
            ca: cluster.ca,
            rejectUnauthorized: !cluster.skipTLSVerify,
          })
        : new http.Agent();
  }

  /** Deployments with the label selector, in one namespace or (namespace undefined) in all. */
  async list(
    labelSelector: string,
    namespace: string | undefined,
    signal?: AbortSignal,
  ): Promise<DeploymentRef[]> {
    const path = namespace
      ? `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`
      : '/apis/apps/v1/deployments';
    const answer = await this.request({
      method: 'GET',
      path: `${path}?labelSelector=${encodeURIComponent(labelSelector)}`,
      what: `list the Deployments labelled ${labelSelector}${
        namespace ? ` in namespace '${namespace}'` : ''
      }`,
      signal,
    });
    let list: {
      items?: Array<{ metadata?: { name?: string; namespace?: string } }>;
    };
    try {
      list = JSON.parse(answer.body);
    } catch {
      throw new ServiceUnavailableError(
        `Cluster '${this.cluster.name}' answered with something other than a DeploymentList`,
      );
    }
    return (list.items ?? []).flatMap(item =>
      item.metadata?.name && item.metadata.namespace
        ? [{ name: item.metadata.name, namespace: item.metadata.namespace }]
        : [],
    );
  }

  /**
   * What `kubectl rollout restart` does: sets the `kubectl.kubernetes.io/restartedAt`
   * annotation of the pod template, so the Deployment rolls out new pods.
   */
  async restart(
    deployment: DeploymentRef,
    restartedAt: string,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${encodeURIComponent(
        deployment.namespace,
      )}/deployments/${encodeURIComponent(deployment.name)}`,
      what: `restart Deployment '${deployment.namespace}/${deployment.name}'`,
      body: JSON.stringify({
        spec: {
          template: {
            metadata: {
              annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt },
            },
          },
        },
      }),
      contentType: 'application/strategic-merge-patch+json',
      signal,
    });
  }

  private async request(options: {
    method: 'GET' | 'PATCH';
    path: string;
    what: string;
    body?: string;
    contentType?: string;
    signal?: AbortSignal;
  }): Promise<Answer> {
    const { name, url } = this.cluster;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout;
    const target = new URL(
      `${url.pathname.replace(/\/$/, '')}${options.path}`,
      url,
    );
    let answer: Answer;
    try {
      answer = await this.send(target, options, signal);
    } catch (error) {
      if (timeout.aborted) {
        throw new ServiceUnavailableError(
          `Cluster '${name}' did not answer within ${timeoutMs} ms when asked to ${options.what}`,
        );
      }
      if (options.signal?.aborted) {
        throw new ServiceUnavailableError(
          `The task was cancelled while asking cluster '${name}' to ${options.what}`,
        );
      }
      throw new ServiceUnavailableError(
        `Cannot reach cluster '${name}' at ${url.origin} to ${options.what} (${
          (error as NodeJS.ErrnoException).code ?? (error as Error).message
        })`,
      );
    }
    if (answer.status >= 200 && answer.status < 300) {
      return answer;
    }
    const message = `Cluster '${name}' refused to ${
      options.what
    }: ${statusMessage(answer)}`;
    switch (answer.status) {
      case 401:
      case 403:
        throw new NotAllowedError(message);
      case 404:
        throw new NotFoundError(message);
      case 409:
        throw new ConflictError(message);
      default:
        throw new ServiceUnavailableError(message);
    }
  }

  private send(
    target: URL,
    options: { method: string; body?: string; contentType?: string },
    signal: AbortSignal,
  ): Promise<Answer> {
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        target,
        {
          method: options.method,
          agent: this.agent,
          signal,
          headers: {
            Accept: 'application/json',
            Authorization: `Bearer ${this.cluster.serviceAccountToken}`,
            ...(options.body
              ? {
                  'Content-Type': options.contentType ?? 'application/json',
                  'Content-Length': Buffer.byteLength(options.body),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }
}
