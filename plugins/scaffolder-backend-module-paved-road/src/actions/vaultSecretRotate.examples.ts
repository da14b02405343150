import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Rotate a service's database password: 32 random bytes under the key 'value' in the default KV v2 mount",
    example: stringify({
      steps: [
        {
          id: 'rotate',
          action: 'vault:secret:rotate',
          name: 'Write a new version of the secret',
          input: {
            path: 'services/payments-api/db-password',
          },
        },
      ],
    }),
  },
  {
    description:
      'A longer value under a key of its own, in another KV v2 mount',
    example: stringify({
      steps: [
        {
          id: 'rotate',
          action: 'vault:secret:rotate',
          name: 'Write a new version of the signing key',
          input: {
            mount: 'kv-payments',
            path: 'payments-api/webhook-signing-key',
            key: 'signingKey',
            length: 64,
          },
        },
      ],
    }),
  },
];
