import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'A stub in infra/ that calls the postgres-database module from pavedRoad.terraform.modules',
    example: stringify({
      steps: [
        {
          id: 'terraform',
          action: 'terraform:stub:create',
          name: 'Write the Terraform stub',
          input: {
            module: 'postgres-database',
            name: 'payments-api',
            costCenter: 'CC-1001',
          },
        },
      ],
    }),
  },
  {
    description:
      'A default environment, further module arguments, and the stub written elsewhere',
    example: stringify({
      steps: [
        {
          id: 'terraform',
          action: 'terraform:stub:create',
          name: 'Write the Terraform stub',
          input: {
            module: 's3-bucket',
            name: 'ledger-exports',
            costCenter: 'CC-2040 / Finance',
            env: 'staging',
            variables: {
              versioning: true,
              retention_days: 90,
              bucket_prefix: 'ledger-exports-',
            },
            outputDir: 'terraform/storage',
          },
        },
      ],
    }),
  },
];
