import { watchFieldReads } from '@internal/paved-road-common';
import { validate as configMap } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap';
import { validate as deployment } from 'kubernetes-models/_schemas/IoK8sApiAppsV1Deployment';
import { validate as podDisruptionBudget } from 'kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget';
import { validate as service } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Service';
import { validate as serviceAccount } from 'kubernetes-models/_schemas/IoK8sApiCoreV1ServiceAccount';

/** A compiled schema of `kubernetes-models` (ajv): true when valid, errors otherwise. */
type Validate = ((data: unknown) => boolean) & {
  errors?: Array<{
    instancePath: string;
    keyword: string;
    params: Record<string, unknown>;
    message?: string;
  }> | null;
};

const SCHEMAS: Record<string, Validate> = {
  'v1/ConfigMap': configMap,
  'v1/Service': service,
  'v1/ServiceAccount': serviceAccount,
  'apps/v1/Deployment': deployment,
  'policy/v1/PodDisruptionBudget': podDisruptionBudget,
};

/**
 * The problems of a Kubernetes object against its schema, as readable lines, strictly:
 * the API server drops a field it does not know without a word, so a misspelt field
 * (`readinessprobe`) must fail here. The compiled schemas do not refuse unknown fields,
 * but they read every property their schema declares and every key of a map; a field
 * they never read, in an object where they read some, is unknown. An object where they
 * read nothing is free-form and keeps any field.
 */
export function kubernetesProblems(object: {
  apiVersion?: string;
  kind?: string;
}): string[] {
  const validate = SCHEMAS[`${object.apiVersion}/${object.kind}`];
  if (!validate) {
    return [`no schema here for ${object.apiVersion} ${object.kind}`];
  }
  const { watched, unreadFields } = watchFieldReads(object);
  const problems = validate(watched)
    ? []
    : (validate.errors ?? []).map(
        error =>
          `${error.instancePath || '/'} ${
            error.message ?? `${error.keyword} ${JSON.stringify(error.params)}`
          }`,
      );
  for (const { path, key } of unreadFields()) {
    problems.push(`${path}/${key} is not a field of ${object.kind}`);
  }
  return problems;
}
