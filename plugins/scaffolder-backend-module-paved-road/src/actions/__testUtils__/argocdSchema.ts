import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/**
 * The shared schemas live beside the repository (`../shared/schemas`, or
 * PORTAL_SHARED_SCHEMAS), unmodified upstream copies that we read but do not commit.
 */
export const SHARED_SCHEMAS_DIR =
  process.env.PORTAL_SHARED_SCHEMAS ??
  path.resolve(__dirname, '../../../../../../shared/schemas');

type JsonSchema = { [key: string]: unknown };

/**
 * Kubernetes prunes unknown fields silently; `kubectl apply --validate=strict` rejects
 * them. Do the same: every object schema that lists its properties and does not
 * preserve unknown fields gets `additionalProperties: false`, so a misspelt field
 * (`repoUrl` for `repoURL`) fails the test instead of vanishing in the cluster.
 */
function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(strict);
  }
  if (!schema || typeof schema !== 'object') {
    return schema;
  }
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(schema as JsonSchema)) {
    result[key] =
      key === 'properties' && value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as JsonSchema).map(([k, v]) => [k, strict(v)]),
          )
        : strict(value);
  }
  if (
    result.type === 'object' &&
    result.properties &&
    result['x-kubernetes-preserve-unknown-fields'] !== true &&
    result.additionalProperties === undefined
  ) {
    result.additionalProperties = false;
  }
  return result;
}

let validator: ValidateFunction | undefined;

/** A validator for Argo CD Applications, from the CRD's v1alpha1 openAPIV3Schema. */
export function argoCdApplicationValidator(): ValidateFunction {
  if (validator) {
    return validator;
  }
  const file = path.join(SHARED_SCHEMAS_DIR, 'argocd-application-crd.yaml');
  if (!fs.existsSync(file)) {
    throw new Error(
      `The Argo CD Application CRD is missing at ${file}; the shared schemas must sit beside the repository`,
    );
  }
  const crd = parse(fs.readFileSync(file, 'utf8'));
  const version = crd.spec.versions.find(
    (v: { name: string }) => v.name === 'v1alpha1',
  );
  const schema = strict(version.schema.openAPIV3Schema) as JsonSchema;
  // apiVersion and kind are checked by the API server, not the structural schema
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  validator = ajv.compile(schema);
  return validator;
}
