import { ConfigReader } from '@backstage/config';
import { captureLogger } from '../__testUtils__/captureLogger';
import { readKubernetesClusters } from '../clients/kubernetesClusters';
import { readPavedRoadConfig } from '../config';
import { createRepositoryHost } from '../publish/repositoryHosts';
import { ScmIntegrations } from '@backstage/integration';
import { SelfServiceAvailability } from './capabilities';

function availability(data: object) {
  const config = new ConfigReader(data);
  const pavedRoad = readPavedRoadConfig(config);
  const { logger, lines } = captureLogger();
  const created = SelfServiceAvailability.create({
    host: createRepositoryHost({
      publish: pavedRoad.publish,
      integrations: ScmIntegrations.fromConfig(config),
      author: { name: 'Paved Road', email: 'portal@example.com' },
      initialCommitMessage: 'Initial commit',
    }),
    modules: pavedRoad.terraform.modules,
    vaultConfigured: pavedRoad.vault !== undefined,
    clusters: readKubernetesClusters(config),
    contact: pavedRoad.contact,
    logger,
  });
  return { created, lines };
}

describe('SelfServiceAvailability', () => {
  it('logs once, for the administrator, what is off and which key turns it on', () => {
    const { created, lines } = availability({
      pavedRoad: {
        selfService: { contact: '#platform' },
        terraform: { modules: { database: { source: 'acme/database/aws' } } },
      },
    });

    expect(lines).toEqual([
      'warn Self-service: secret rotation is off: set pavedRoad.vault.address and a token or Kubernetes auth',
      'warn Self-service: secret rotation is off: no Kubernetes cluster with a service account token in kubernetes.clusterLocatorMethods[].clusters',
      "warn Self-service: queue requests are off: no module 'queue' in pavedRoad.terraform.modules",
      "warn Self-service: bucket requests are off: no module 'bucket' in pavedRoad.terraform.modules",
    ]);
    // the developer's side says whom to ask, not which key
    expect(created.secretRotation).toEqual({
      available: false,
      reason: 'Secret rotation is not set up on this portal: ask #platform.',
    });
    expect(created.infraRequest('database')).toEqual({ available: true });
  });

  it('logs nothing when everything is set up', () => {
    const { lines } = availability({
      pavedRoad: {
        vault: { address: 'https://vault.example.com:8200', token: 'hvs.x' },
        terraform: {
          modules: {
            database: { source: 'acme/database/aws' },
            queue: { source: 'acme/queue/aws' },
            bucket: { source: 'acme/bucket/aws' },
          },
        },
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'prod-eu-1',
                url: 'https://k8s.example.com',
                serviceAccountToken: 'sa-token',
              },
            ],
          },
        ],
      },
    });
    expect(lines).toEqual([]);
  });
});
