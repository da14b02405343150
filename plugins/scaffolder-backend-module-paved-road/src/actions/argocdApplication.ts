import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';
import {
  buildArgoCdApplication,
  LABEL_VALUE,
  validateArgoCdApplication,
} from '../argocd/application';
import { dns1123Label, parseActionInput, text, Zod } from '../input';
import {
  assertWritable,
  relativeToWorkspace,
  resolveWorkspacePath,
  writeWorkspaceFiles,
} from '../workspace/workspace';
import { examples } from './argocdApplication.examples';
import { withUserErrors } from './userErrors';

/** `dir/file.yaml`: plain segments, no `.` or `..`, no leading or trailing slash. */
const SAFE_YAML_PATH =
  /^(?!(.*\/)?\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/(?!\.{1,2}(\/|$))[A-Za-z0-9._-]+)*\.ya?ml$/;

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
  appUrl: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The Application in Argo CD's web UI; only where pavedRoad.argocd.url is set",
      ),
};

/**
 * `argocd:app:create`: writes an Argo CD Application manifest into the workspace, and
 * outputs where Argo CD shows it when this portal knows Argo CD (`argocdUrl`).
 */
export function createArgoCdApplicationAction(
  options: {
    /** `pavedRoad.argocd.url`: Argo CD's web UI. */
    argocdUrl?: URL;
  } = {},
) {
  return withUserErrors(
    createTemplateAction({
      id: 'argocd:app:create',
      description:
        'Writes an Argo CD Application manifest (argoproj.io/v1alpha1) that deploys the service from its repository.',
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input);
        const file = resolveWorkspacePath(
          ctx.workspacePath,
          input.outputPath,
          'outputPath',
        );
        const manifest = buildArgoCdApplication(input);
        // a bad Application never leaves the action
        await validateArgoCdApplication(manifest);
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
        if (options.argocdUrl) {
          const app = `applications/${input.argocdNamespace}/${input.name}`;
          ctx.output(
            'appUrl',
            `${options.argocdUrl.href.replace(/\/$/, '')}/${app}`,
          );
        }
      },
    }),
  );
}
