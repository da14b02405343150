import {
  ForwardedError,
  NotFoundError,
  NotImplementedError,
} from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DNS1123_LABEL } from '@internal/paved-road-common';
import {
  DeploymentRef,
  KubernetesClusters,
  KubernetesDeploymentsApi,
} from '../clients/kubernetesClusters';
import { parseActionInput, text, Zod } from '../input';
import { DEFAULT_CONTACT, notSetUpSentence } from '../selfService/capabilities';
import { examples } from './kubernetesDeploymentRestart.examples';
import { withUserErrors } from './userErrors';

const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** A Kubernetes label value. */
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// Control characters and line separators would break the log line and the message.
// eslint-disable-next-line no-control-regex
const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;

const inputSchema = {
  kubernetesId: (z: Zod) =>
    text(z, { max: 63 })
      .regex(
        LABEL_VALUE,
        'must be a Kubernetes label value: letters, digits, - _ and ., starting and ending with a letter or digit',
      )
      .describe(
        `The service's ${KUBERNETES_ID_LABEL} annotation: its Deployments carry it as a label`,
      ),
  namespace: (z: Zod) =>
    text(z, { max: 63, min: 0 })
      .refine(
        value => value === '' || DNS1123_LABEL.test(value),
        'must be a DNS-1123 label (or empty for every namespace)',
      )
      .optional()
      .describe(
        'Namespace of the Deployments; empty or unset looks in every namespace, as the Kubernetes tab does',
      ),
  reason: (z: Zod) =>
    text(z, { max: 300 })
      .regex(SINGLE_LINE, 'must be one line of text')
      .optional()
      .describe(
        'What the restart follows (e.g. "Secret services/payments-api/db-password written as version 7"): logged, and said first when the restart fails',
      ),
};

const outputSchema = {
  restarted: (z: Zod) =>
    z
      .array(z.string())
      .describe('The restarted Deployments, as cluster/namespace/name'),
  restartedAt: (z: Zod) =>
    z
      .string()
      .describe('The kubectl.kubernetes.io/restartedAt annotation written'),
};

/**
 * `kubernetes:deployment:restart`: a rollout restart of a service's Deployments (found by
 * their `backstage.io/kubernetes-id` label) on every cluster configured for the
 * Kubernetes plugin that has a service account token. Each Deployment is restarted in a
 * checkpoint of its own, so a retried task restarts only those it had not reached.
 */
export function createKubernetesDeploymentRestartAction(options: {
  /** The Kubernetes plugin's clusters (`kubernetes.clusterLocatorMethods`). */
  clusters: KubernetesClusters;
  /** Per request; defaults to 10 seconds. */
  timeoutMs?: number;
  /** Whom developers ask when no cluster is configured (`pavedRoad.selfService.contact`). */
  contact?: string;
}) {
  const { clusters, skipped } = options.clusters;
  const contact = options.contact ?? DEFAULT_CONTACT;
  const apis = clusters.map(cluster => ({
    cluster,
    api: new KubernetesDeploymentsApi(cluster, {
      timeoutMs: options.timeoutMs,
    }),
  }));

  return withUserErrors(
    createTemplateAction({
      id: 'kubernetes:deployment:restart',
      description:
        "Rollout restart of a service's Deployments (label backstage.io/kubernetes-id) on the clusters configured for the Kubernetes plugin, as kubectl rollout restart does.",
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input);
        const namespace = input.namespace || undefined;
        const selector = `${KUBERNETES_ID_LABEL}=${input.kubernetesId}`;
        const where = namespace ? ` in namespace '${namespace}'` : '';
        const failed = (error: unknown): Error =>
          new ForwardedError(
            `${
              input.reason ? `${input.reason}, but the` : 'The'
            } Deployments of '${input.kubernetesId}' were not restarted`,
            error,
          );

        for (const { name, reason } of skipped) {
          ctx.logger.warn(`Skipping cluster '${name}': ${reason}`);
        }
        if (apis.length === 0) {
          throw failed(
            new NotImplementedError(
              notSetUpSentence("Restarting a service's pods", contact),
            ),
          );
        }
        if (input.reason) {
          ctx.logger.info(`Restarting after: ${input.reason}`);
        }

        const targets: Array<{
          clusterName: string;
          api: KubernetesDeploymentsApi;
          deployment: DeploymentRef;
        }> = [];
        try {
          for (const { cluster, api } of apis) {
            for (const deployment of await api.list(
              selector,
              namespace,
              ctx.signal,
            )) {
              targets.push({ clusterName: cluster.name, api, deployment });
            }
          }
        } catch (error) {
          throw failed(error);
        }
        if (targets.length === 0) {
          throw failed(
            new NotFoundError(
              `No Deployment labelled ${selector}${where} on cluster ${apis
                .map(({ cluster }) => `'${cluster.name}'`)
                .join(', ')}`,
            ),
          );
        }

        const label = ({ clusterName, deployment }: (typeof targets)[number]) =>
          `${clusterName}/${deployment.namespace}/${deployment.name}`;
        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would restart ${targets.map(label).join(', ')}`,
          );
          ctx.output('restarted', targets.map(label));
          ctx.output('restartedAt', new Date().toISOString());
          return;
        }

        const restartedAt = await ctx.checkpoint({
          key: `kubernetes-deployment-restart-${selector}${where}`,
          fn: () => new Date().toISOString(),
        });
        const restarted: string[] = [];
        try {
          for (const target of targets) {
            await ctx.checkpoint({
              key: `kubernetes-deployment-restart-${label(target)}`,
              fn: async () => {
                await target.api.restart(
                  target.deployment,
                  restartedAt,
                  ctx.signal,
                );
              },
            });
            restarted.push(label(target));
            ctx.logger.info(`Restarted Deployment ${label(target)}`);
          }
        } catch (error) {
          if (restarted.length > 0) {
            ctx.logger.warn(
              `Restarted before the failure: ${restarted.join(', ')}`,
            );
          }
          throw failed(error);
        }
        ctx.output('restarted', restarted);
        ctx.output('restartedAt', restartedAt);
      },
    }),
  );
}
