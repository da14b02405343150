import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Propose the upgrade of the service picked in the form to its template's current version",
    example: stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'portal:template:upgrade',
          name: 'Propose the upgrade',
          input: { entityRef: '${{ parameters.service }}' },
        },
      ],
    }),
  },
  {
    description: 'Propose the upgrade of orders to its template version',
    example: stringify({
      steps: [
        {
          id: 'upgrade',
          action: 'portal:template:upgrade',
          name: 'Propose the upgrade',
          input: { entityRef: 'component:default/orders' },
        },
      ],
    }),
  },
];
