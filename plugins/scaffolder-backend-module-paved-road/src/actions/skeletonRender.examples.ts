import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render the shared service skeleton and the app code of the chosen language',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'portal:skeleton:render',
          name: 'Render the service',
          input: {
            skeleton: 'service',
            values: { name: 'payments-api', description: 'Accepts payments' },
          },
        },
        {
          id: 'render-common',
          action: 'portal:skeleton:render',
          name: 'Render the shared application code',
          input: {
            skeleton: 'node-common',
            values: { name: 'payments-api', description: 'Accepts payments' },
          },
        },
        {
          id: 'render-app',
          action: 'portal:skeleton:render',
          name: 'Render the application code',
          input: {
            skeleton: 'node-http',
            values: { name: 'payments-api', description: 'Accepts payments' },
          },
        },
      ],
    }),
  },
];
