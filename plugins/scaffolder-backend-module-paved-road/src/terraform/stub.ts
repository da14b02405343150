import { attribute, block, HclBodyItem, traversal } from './hcl';
import { TerraformModule } from './modules';

/** `payments-api` → `payments_api`; a leading digit gets `svc_`, as Terraform names start with a letter. */
export function moduleBlockName(name: string): string {
  const label = name.replace(/-/g, '_');
  return /^[0-9]/.test(label) ? `svc_${label}` : label;
}

/** The three files of the stub as data, by file name. */
export function buildTerraformStub(input: {
  module: TerraformModule;
  name: string;
  costCenter: string;
  env?: string;
  variables?: Record<string, string | number | boolean>;
  requiredVersion: string;
}): Record<'main.tf' | 'variables.tf' | 'versions.tf', HclBodyItem[]> {
  const { module } = input;
  return {
    'main.tf': [
      block(
        'module',
        [moduleBlockName(input.name)],
        [
          attribute('source', module.source),
          ...(module.version ? [attribute('version', module.version)] : []),
          attribute('name', input.name),
          attribute('cost_center', input.costCenter),
          attribute('env', traversal('var', 'env')),
          ...Object.entries(input.variables ?? {}).map(([key, value]) =>
            attribute(key, value),
          ),
        ],
      ),
    ],
    'variables.tf': [
      block(
        'variable',
        ['env'],
        [
          attribute('type', traversal('string')),
          attribute('description', 'Environment this stack is deployed to'),
          ...(input.env === undefined ? [] : [attribute('default', input.env)]),
        ],
      ),
    ],
    'versions.tf': [
      block(
        'terraform',
        [],
        [attribute('required_version', input.requiredVersion)],
      ),
    ],
  };
}
