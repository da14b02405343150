import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Report scaffold.completed for the new service; a failed delivery is logged and the task goes on',
    example: stringify({
      steps: [
        {
          id: 'event',
          action: 'portal:event:emit',
          name: 'Report the new service',
          input: {
            service: 'payments-api',
            attributes: {
              language: 'java',
              lifecycle: 'production',
              argocd: true,
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'A custom event name that the template requires to be delivered',
    example: stringify({
      steps: [
        {
          id: 'event',
          action: 'portal:event:emit',
          name: 'Report the database request',
          input: {
            name: 'database.requested',
            service: 'ledger-worker',
            attributes: { engine: 'postgres', storageGb: 20 },
            required: true,
          },
        },
      ],
    }),
  },
];
