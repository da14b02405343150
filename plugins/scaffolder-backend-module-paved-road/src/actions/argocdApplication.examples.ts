import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'An Application that syncs automatically and creates its namespace',
    example: stringify({
      steps: [
        {
          id: 'argocd',
          action: 'argocd:app:create',
          name: 'Write the Argo CD Application',
          input: {
            name: 'payments-api',
            namespace: 'payments',
            repoUrl: 'https://github.com/paved-road-demo/payments-api.git',
            owner: 'group:default/payments-team',
            costCenter: 'CC-1001',
            automatedSync: { prune: true, selfHeal: true },
          },
        },
      ],
    }),
  },
  {
    description:
      'Manual sync, another project and cluster, the manifest written elsewhere',
    example: stringify({
      steps: [
        {
          id: 'argocd',
          action: 'argocd:app:create',
          name: 'Write the Argo CD Application',
          input: {
            name: 'ledger-worker',
            namespace: 'payments',
            repoUrl: 'https://github.com/paved-road-demo/ledger-worker.git',
            path: 'deploy/helm',
            targetRevision: 'v1.4.0',
            project: 'payments',
            destinationServer: 'https://prod-eu-1.k8s.example.com',
            owner: 'payments-team',
            costCenter: 'CC-1001',
            createNamespace: false,
            outputPath: 'deploy/argocd/application.yaml',
          },
        },
      ],
    }),
  },
];
