import path from 'node:path';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { TerraformConfig } from '../config';
import { dns1123Label, parseActionInput, text, Zod } from '../input';
import { formatHcl, hclStringIssue } from '../terraform/hcl';
import { MODULES_KEY, TerraformModule } from '../terraform/modules';
import { buildTerraformStub } from '../terraform/stub';
import {
  assertWritable,
  relativeToWorkspace,
  resolveWorkspacePath,
  writeWorkspaceFiles,
} from '../workspace/workspace';
import { examples } from './terraformStub.examples';
import { withUserErrors } from './userErrors';

const MAX_VARIABLES = 32;
const MAX_VARIABLE_NAME = 64;
const MAX_VARIABLE_VALUE = 1024;

/** Arguments the stub sets itself, and the meta-arguments Terraform reserves in a module block. */
const RESERVED_VARIABLES = new Set([
  'name',
  'cost_center',
  'env',
  'source',
  'version',
  'count',
  'for_each',
  'providers',
  'depends_on',
  'lifecycle',
]);

/** A string that HCL reads back byte for byte (see {@link hclStringIssue}). */
function hclText(z: Zod, options: { max: number; min?: number }) {
  return text(z, options).superRefine((value, ctx) => {
    const issue = hclStringIssue(value);
    if (issue) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: issue });
    }
  });
}

function moduleName(z: Zod, names: string[]) {
  if (names.length === 0) {
    return z
      .string({ required_error: 'is required' })
      .refine(
        () => false,
        `no Terraform modules are configured in ${MODULES_KEY}`,
      );
  }
  const allowed = `must be one of the modules configured in ${MODULES_KEY}: ${names.join(
    ', ',
  )}`;
  return z.enum(names as [string, ...string[]], {
    errorMap: issue => ({
      message:
        issue.code === 'invalid_type' && issue.received === 'undefined'
          ? 'is required'
          : allowed,
    }),
  });
}

function createInputSchema(modules: ReadonlyMap<string, TerraformModule>) {
  const names = [...modules.keys()];
  const listing = names
    .map(name => {
      const description = modules.get(name)?.description;
      return description ? `${name} (${description})` : name;
    })
    .join(', ');
  return {
    module: (z: Zod) =>
      moduleName(z, names).describe(
        `Terraform module to call, by its name in ${MODULES_KEY}: ${
          listing || 'none configured'
        }`,
      ),
    name: (z: Zod) =>
      dns1123Label(z).describe(
        'Name of the service, passed to the module as name; it also names the module block (dashes become underscores)',
      ),
    costCenter: (z: Zod) =>
      hclText(z, { max: 128 }).describe(
        'Cost center, passed to the module as cost_center',
      ),
    env: (z: Zod) =>
      dns1123Label(z)
        .optional()
        .describe(
          'Default of the env variable (dev, staging, prod, ...); omit to have Terraform ask for it',
        ),
    variables: (z: Zod) =>
      z
        .record(
          z
            .string()
            .max(
              MAX_VARIABLE_NAME,
              `must be at most ${MAX_VARIABLE_NAME} characters`,
            )
            .regex(
              /^[A-Za-z][A-Za-z0-9_-]*$/,
              'must be an HCL identifier: a letter, then letters, digits, _ and -',
            )
            .refine(key => !RESERVED_VARIABLES.has(key), {
              message: `is set by the action or reserved by Terraform (${[
                ...RESERVED_VARIABLES,
              ].join(', ')})`,
            }),
          z.union(
            [
              hclText(z, { min: 0, max: MAX_VARIABLE_VALUE }),
              z.number().finite('must be a finite number'),
              z.boolean(),
            ],
            {
              errorMap: () => ({
                message: 'must be a string, a number or a boolean',
              }),
            },
          ),
          {
            invalid_type_error: 'must be an object of variable names to values',
          },
        )
        .refine(
          variables => Object.keys(variables).length <= MAX_VARIABLES,
          `must have at most ${MAX_VARIABLES} variables`,
        )
        .optional()
        .describe(
          'Further module arguments: name → string, number or boolean, written as literals',
        ),
    outputDir: (z: Zod) =>
      text(z, { max: 512 })
        .default('infra')
        .describe(
          'Directory for main.tf, variables.tf and versions.tf, relative to the workspace',
        ),
  };
}

const outputSchema = {
  files: (z: Zod) =>
    z
      .array(z.string())
      .describe(
        'Workspace-relative paths of the written main.tf, variables.tf and versions.tf',
      ),
  module: (z: Zod) =>
    z.string().describe(`Name of the module called, from ${MODULES_KEY}`),
};

/**
 * `terraform:stub:create`: writes a Terraform stub that calls a module from the
 * allow-list in `pavedRoad.terraform.modules`.
 */
export function createTerraformStubAction(options: {
  terraform: TerraformConfig;
}) {
  const { modules, requiredVersion } = options.terraform;
  const inputSchema = createInputSchema(modules);

  return withUserErrors(
    createTemplateAction({
      id: 'terraform:stub:create',
      description:
        'Writes a Terraform stub (main.tf, variables.tf, versions.tf) that calls a module from the allow-list in app-config, with the service name, cost center and environment.',
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input, {
          multiline: ['costCenter', 'variables'],
        });
        const module = modules.get(input.module)!;
        const stub = buildTerraformStub({
          module,
          name: input.name,
          costCenter: input.costCenter,
          env: input.env,
          variables: input.variables,
          requiredVersion,
        });
        const files = Object.entries(stub).map(([fileName, body]) => ({
          path: resolveWorkspacePath(
            ctx.workspacePath,
            path.join(input.outputDir, fileName),
            'outputDir',
          ),
          content: formatHcl(body),
        }));
        await assertWritable(ctx.workspacePath, files, 'outputDir');

        const written = await ctx.checkpoint({
          key: `terraform-stub-${input.name}-${input.outputDir}`,
          fn: async () => {
            await writeWorkspaceFiles(ctx.workspacePath, files);
            return files.map(file =>
              relativeToWorkspace(ctx.workspacePath, file.path),
            );
          },
        });
        ctx.logger.info(
          `Wrote Terraform stub calling module '${
            input.module
          }' to ${written.join(', ')}`,
        );
        ctx.output('files', written);
        ctx.output('module', input.module);
      },
    }),
  );
}
