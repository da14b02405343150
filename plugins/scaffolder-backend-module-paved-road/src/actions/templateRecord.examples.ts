import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Record that the service was made from http-service version 3, with the Node.js layers',
    example: stringify({
      steps: [
        {
          id: 'record',
          action: 'portal:template:record',
          name: 'Record how the service was made',
          input: {
            template: 'http-service',
            version: 3,
            skeletons: ['service', 'node-common', 'node-http'],
            values: {
              name: 'payments-api',
              owner: 'group:default/payments-team',
              language: 'node',
            },
          },
        },
      ],
    }),
  },
];
