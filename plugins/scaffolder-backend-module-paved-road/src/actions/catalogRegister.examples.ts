import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Register the repository that the publish step created',
    example: stringify({
      steps: [
        {
          id: 'register',
          action: 'portal:catalog:register',
          name: 'Register in the catalog',
          input: {
            provider: '${{ steps.publish.output.provider }}',
            repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}',
            localPath: '${{ steps.publish.output.localPath }}',
          },
        },
      ],
    }),
  },
];
