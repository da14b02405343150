import { attribute, block, formatHcl } from './hcl';
import { TerraformModule } from './modules';

/** What can be requested; each is a module of that name in `pavedRoad.terraform.modules`. */
export const INFRA_KINDS = ['database', 'queue', 'bucket'] as const;
export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export const DATABASE_SIZES = ['small', 'medium', 'large'] as const;

export type InfraKind = (typeof INFRA_KINDS)[number];
export type Environment = (typeof ENVIRONMENTS)[number];
export type DatabaseSize = (typeof DATABASE_SIZES)[number];

export const KIND_TITLES: Record<InfraKind, string> = {
  database: 'PostgreSQL database',
  queue: 'SQS queue',
  bucket: 'S3 bucket',
};

/** The Terraform file of a request, built as data, and the branch it goes on. */
export function buildInfraRequest(options: {
  kind: InfraKind;
  environment: Environment;
  size?: DatabaseSize;
  module: TerraformModule;
  facts: { service: string; owner: string; costCenter: string };
}): { file: string; branch: string; content: string } {
  const { kind, environment, module, facts } = options;
  const name = `${kind}-${environment}`;
  const body = [
    block(
      'module',
      [`${kind}_${environment}`],
      [
        attribute('source', module.source),
        ...(module.version ? [attribute('version', module.version)] : []),
        attribute('service', facts.service),
        attribute('environment', environment),
        ...(options.size ? [attribute('size', options.size)] : []),
        attribute('owner', facts.owner),
        attribute('cost_center', facts.costCenter),
      ],
    ),
  ];
  return {
    file: `infra/${name}.tf`,
    branch: `infra/${name}`,
    content: `# ${
      KIND_TITLES[kind]
    } for ${environment}, requested through the Paved Road portal.\n\n${formatHcl(
      body,
    )}`,
  };
}
