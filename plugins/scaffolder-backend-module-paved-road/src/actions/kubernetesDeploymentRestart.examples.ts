import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Restart a service's Deployments in every namespace of every configured cluster",
    example: stringify({
      steps: [
        {
          id: 'restart',
          action: 'kubernetes:deployment:restart',
          name: 'Restart the pods',
          input: {
            kubernetesId: 'payments-api',
          },
        },
      ],
    }),
  },
  {
    description:
      'Restart after a secret rotation, in one namespace, saying why (a failure says it first)',
    example: stringify({
      steps: [
        {
          id: 'restart',
          action: 'kubernetes:deployment:restart',
          name: 'Restart the pods',
          input: {
            kubernetesId: 'payments-api',
            namespace: 'payments',
            reason:
              'Secret secret/services/payments-api/db-password written as version 7',
          },
        },
      ],
    }),
  },
];
