import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Request a small production database for payments-api: a pull request adding infra/database-production.tf',
    example: stringify({
      steps: [
        {
          id: 'request',
          action: 'portal:infra:request',
          name: 'Open the pull request',
          input: {
            entityRef: 'component:default/payments-api',
            kind: 'database',
            environment: 'production',
            size: 'small',
          },
        },
      ],
    }),
  },
  {
    description:
      'Request a staging queue (with its dead-letter queue) for the service picked in the form',
    example: stringify({
      steps: [
        {
          id: 'request',
          action: 'portal:infra:request',
          name: 'Open the pull request',
          input: {
            entityRef: '${{ parameters.service }}',
            kind: 'queue',
            environment: 'staging',
          },
        },
      ],
    }),
  },
];
