import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { fieldError } from '../input';

/** Kubernetes label values: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** `group:default/payments-team` → `payments-team`, checked as a label value. */
function ownerLabel(owner: string): string {
  const name = owner.replace(/^[^:/]+:/, '').replace(/^[^/]+\//, '');
  if (name.length > 63 || !LABEL_VALUE.test(name)) {
    throw fieldError(
      'owner',
      `'${owner}' does not end in a Kubernetes label value (letters, digits, - _ ., at most 63)`,
    );
  }
  return name;
}

/** The Application as data; serialized by the YAML library, never by concatenation. */
export function buildArgoCdApplication(input: {
  name: string;
  namespace: string;
  repoUrl: string;
  path: string;
  targetRevision: string;
  project: string;
  destinationServer: string;
  argocdNamespace: string;
  owner: string;
  costCenter: string;
  automatedSync?: { prune: boolean; selfHeal: boolean };
  createNamespace: boolean;
}): IApplication {
  const syncPolicy: Record<string, unknown> = {};
  if (input.automatedSync) {
    syncPolicy.automated = {
      prune: input.automatedSync.prune,
      selfHeal: input.automatedSync.selfHeal,
    };
  }
  if (input.createNamespace) {
    syncPolicy.syncOptions = ['CreateNamespace=true'];
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: input.name,
      namespace: input.argocdNamespace,
      labels: {
        'app.kubernetes.io/name': input.name,
        'paved-road.io/owner': ownerLabel(input.owner),
        'paved-road.io/cost-center': input.costCenter,
      },
    },
    spec: {
      project: input.project,
      source: {
        repoURL: input.repoUrl,
        path: input.path,
        targetRevision: input.targetRevision,
      },
      destination: {
        server: input.destinationServer,
        namespace: input.namespace,
      },
      ...(Object.keys(syncPolicy).length > 0 ? { syncPolicy } : {}),
    },
  };
}

/** The action's input fields, by where they land in the Application (JSON pointers). */
const FIELDS: Array<[prefix: string, field: string]> = [
  ['/metadata/name', 'name'],
  ['/metadata/namespace', 'argocdNamespace'],
  ['/metadata/labels/app.kubernetes.io~1name', 'name'],
  ['/metadata/labels/paved-road.io~1owner', 'owner'],
  ['/metadata/labels/paved-road.io~1cost-center', 'costCenter'],
  ['/spec/project', 'project'],
  ['/spec/source/repoURL', 'repoUrl'],
  ['/spec/source/path', 'path'],
  ['/spec/source/targetRevision', 'targetRevision'],
  ['/spec/destination/server', 'destinationServer'],
  ['/spec/destination/namespace', 'namespace'],
  ['/spec/syncPolicy/automated', 'automatedSync'],
  ['/spec/syncPolicy/syncOptions', 'createNamespace'],
];

/** What the model's validation reports (ajv's errors). */
type SchemaError = { instancePath: string; message?: string };

const MODELS = '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
type ApplicationModule =
  typeof import('@kubernetes-models/argo-cd/argoproj.io/v1alpha1');
let applicationModule: Promise<ApplicationModule> | undefined;

/**
 * The models are ESM only: their package exports answer `import` and nothing else. The
 * backend (CommonJS on Node) can only load them with import(); Jest, which runs modules
 * as CommonJS without import(), resolves them for require(). Loaded once, on first use.
 */
function loadApplicationModule(): Promise<ApplicationModule> {
  applicationModule ??= (async () => {
    try {
      return require(MODELS) as ApplicationModule;
    } catch {
      return (await import(
        '@kubernetes-models/argo-cd/argoproj.io/v1alpha1'
      )) as ApplicationModule;
    }
  })();
  return applicationModule;
}

/**
 * Validates the Application against Argo CD's own schema (`@kubernetes-models/argo-cd`).
 * A problem in a part that comes from the input is an InputError naming that field;
 * any other is a bug of ours, and an Error.
 */
export async function validateArgoCdApplication(
  manifest: IApplication,
): Promise<void> {
  const { Application } = await loadApplicationModule();
  try {
    new Application(manifest).validate();
  } catch (error) {
    const problems = ((error as { errors?: SchemaError[] }).errors ?? []).map(
      problem => ({
        ...problem,
        field: FIELDS.find(
          ([prefix]) =>
            problem.instancePath === prefix ||
            problem.instancePath.startsWith(`${prefix}/`),
        )?.[1],
      }),
    );
    const atFault = problems.find(problem => problem.field);
    if (atFault?.field) {
      throw fieldError(
        atFault.field,
        `makes an invalid Argo CD Application: ${atFault.instancePath} ${
          atFault.message ?? 'is invalid'
        }`,
      );
    }
    throw new Error(
      `The Argo CD Application '${manifest.metadata.name}' is invalid: ${
        (error as Error).message
      }`,
    );
  }
}
