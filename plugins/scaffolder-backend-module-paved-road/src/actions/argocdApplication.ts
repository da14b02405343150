import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InputError } from '@backstage/errors';
import { stringify } from 'yaml';
import { dns1123Label, parseInput, text, Zod } from './util/input';
import {
  assertWritable,
  relativeToWorkspace,
  resolveWorkspacePath,
  writeWorkspaceFiles,
} from './util/workspace';
import { examples } from './argocdApplication.examples';

/** `dir/file.yaml`: plain segments, no `.` or `..`, no leading or trailing slash. */
const SAFE_YAML_PATH =
  /^(?!(.*\/)?\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+)*\.ya?ml$/;

/** Kubernetes label values: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const inputSchema = {
  name: (z: Zod) =>
    dns1123Label(z).describe(
      'Name of the Argo CD Application, usually the service name',
    ),
  namespace: (z: Zod) =>
    dns1123Label(z).describe('Kubernetes namespace the service is deployed to'),
  repoUrl: (z: Zod) =>
    text(z, { max: 2048 })
      .regex(
        /^(https:\/\/|ssh:\/\/|git@)\S+$/,
        'must be an https://, ssh:// or git@ repository URL',
      )
      .describe('Git repository that holds the deployment manifests'),
  path: (z: Zod) =>
    text(z, { max: 512 })
      .regex(
        /^(?!\/)(?!(.*\/)?\.\.(\/|$))[A-Za-z0-9._\-/]+$/,
        'must be a relative path in the repository (letters, digits, . _ - /, no ..)',
      )
      .default('deploy/helm')
      .describe('Path of the Helm chart or manifests in the repository'),
  targetRevision: (z: Zod) =>
    text(z, { max: 255 })
      .regex(
        /^[A-Za-z0-9._\-/]+$/,
        'must be a branch, tag or commit (letters, digits, . _ - /)',
      )
      .default('main')
      .describe('Branch, tag or commit Argo CD follows'),
  project: (z: Zod) =>
    dns1123Label(z).default('default').describe('Argo CD project'),
  destinationServer: (z: Zod) =>
    text(z, { max: 2048 })
      .regex(/^https:\/\/\S+$/, 'must be an https:// URL')
      .default('https://kubernetes.default.svc')
      .describe('Kubernetes API server of the target cluster'),
  argocdNamespace: (z: Zod) =>
    dns1123Label(z)
      .default('argocd')
      .describe('Namespace where Argo CD keeps its Applications'),
  owner: (z: Zod) =>
    text(z, { max: 253 }).describe(
      'Owning team, as a name or entity ref (group:default/payments-team)',
    ),
  costCenter: (z: Zod) =>
    text(z, { max: 63 })
      .regex(
        LABEL_VALUE,
        'must be a Kubernetes label value (letters, digits, - _ .)',
      )
      .describe('Cost center, written as a label'),
  automatedSync: (z: Zod) =>
    z
      .object(
        {
          prune: z
            .boolean({ invalid_type_error: 'must be a boolean' })
            .default(true),
          selfHeal: z
            .boolean({ invalid_type_error: 'must be a boolean' })
            .default(true),
        },
        { invalid_type_error: 'must be an object with prune and selfHeal' },
      )
      .strict()
      .optional()
      .describe('Sync automatically; omit for manual sync'),
  createNamespace: (z: Zod) =>
    z
      .boolean({ invalid_type_error: 'must be a boolean' })
      .default(true)
      .describe('Add the CreateNamespace=true sync option'),
  outputPath: (z: Zod) =>
    text(z, { max: 512 })
      .regex(
        SAFE_YAML_PATH,
        'must be a relative path of a .yaml file (letters, digits, . _ - and /, no . or .. segments)',
      )
      .default('argocd/app.yaml')
      .describe('Where to write the manifest, relative to the workspace'),
};

const outputSchema = {
  path: (z: Zod) =>
    z.string().describe('Workspace-relative path of the written manifest'),
  appName: (z: Zod) => z.string().describe('Name of the Argo CD Application'),
};

/** `group:default/payments-team` → `payments-team`, checked as a label value. */
function ownerLabel(owner: string): string {
  const name = owner.replace(/^[^:/]+:/, '').replace(/^[^/]+\//, '');
  if (name.length > 63 || !LABEL_VALUE.test(name)) {
    throw new InputError(
      `Invalid input 'owner': '${owner}' does not end in a Kubernetes label value (letters, digits, - _ ., at most 63)`,
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
}) {
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

/**
 * `argocd:app:create`: writes an Argo CD Application manifest into the workspace.
 */
export function createArgoCdApplicationAction() {
  return createTemplateAction({
    id: 'argocd:app:create',
    description:
      'Writes an Argo CD Application manifest (argoproj.io/v1alpha1) that deploys the service from its repository.',
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema, output: outputSchema },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const file = resolveWorkspacePath(
        ctx.workspacePath,
        input.outputPath,
        'outputPath',
      );
      const manifest = buildArgoCdApplication(input);
      const files = [
        { path: file, content: stringify(manifest, { lineWidth: 0 }) },
      ];
      await assertWritable(ctx.workspacePath, files, 'outputPath');
      const written = await ctx.checkpoint({
        key: `argocd-app-${input.name}-${input.outputPath}`,
        fn: async () => {
          await writeWorkspaceFiles(ctx.workspacePath, files);
          return relativeToWorkspace(ctx.workspacePath, file);
        },
      });
      ctx.logger.info(
        `Wrote Argo CD Application '${input.name}' to ${written}`,
      );
      ctx.output('path', written);
      ctx.output('appName', input.name);
    },
  });
}
