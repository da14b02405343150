import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the rendered service; GitHub in production, a local git repository on the embedded default',
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'portal:repo:publish',
          name: 'Publish the repository',
          input: {
            repoUrl: 'github.com?owner=paved-road-demo&repo=payments-api',
            description: 'Accepts card and bank payments',
          },
        },
      ],
    }),
  },
];
