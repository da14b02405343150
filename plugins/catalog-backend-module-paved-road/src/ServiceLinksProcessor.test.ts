import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ServiceLinksProcessor } from './ServiceLinksProcessor';

// What a golden path writes into catalog-info.yaml (skeletons/service), whatever the
// publish target.
const goldenPathLinks = [
  {
    url: 'https://github.com/paved-road-demo/orders-api/blob/main/docs/runbook.md',
    title: 'Runbook',
    type: 'runbook',
  },
  {
    url: 'https://github.com/paved-road-demo/orders-api/tree/main/slo',
    title: 'SLOs',
    type: 'slo',
  },
  {
    url: 'https://grafana.example.com/d/orders-api',
    title: 'Dashboard',
    type: 'dashboard',
  },
];

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', links: goldenPathLinks },
  spec: { type: 'service' },
};

const repos = path.resolve('/srv/portal-data/repos');
const fromLocalRepository = {
  type: 'file',
  target: path.join(
    repos,
    'paved-road-demo',
    'orders-api',
    'catalog-info.yaml',
  ),
};

function processor(data: object) {
  return ServiceLinksProcessor.fromConfig(
    new ConfigReader({ app: { baseUrl: 'https://portal.acme.test' }, ...data }),
  );
}

const local = {
  pavedRoad: { publish: { target: 'local', local: { directory: repos } } },
};

describe('ServiceLinksProcessor', () => {
  it("leads a local repository's links to the portal's pages and leaves out a Grafana nobody configured", async () => {
    const result = await processor(local).preProcessEntity(
      entity,
      fromLocalRepository,
    );

    expect(result.metadata.links).toEqual([
      {
        url: 'https://portal.acme.test/repositories/paved-road-demo/orders-api/blob/main/docs/runbook.md',
        title: 'Runbook',
        type: 'runbook',
      },
      {
        url: 'https://portal.acme.test/repositories/paved-road-demo/orders-api/tree/main/slo',
        title: 'SLOs',
        type: 'slo',
      },
    ]);
  });

  it('leads the dashboard to pavedRoad.grafana.url where it is set', async () => {
    const result = await processor({
      ...local,
      pavedRoad: {
        ...local.pavedRoad,
        grafana: { url: 'https://grafana.acme.test/' },
      },
    }).preProcessEntity(entity, fromLocalRepository);

    expect(result.metadata.links?.[2]).toEqual({
      url: 'https://grafana.acme.test/d/orders-api',
      title: 'Dashboard',
      type: 'dashboard',
    });
  });

  it('keeps GitHub links on GitHub, and those of another repository', async () => {
    const onGithub = await processor({
      pavedRoad: { publish: { target: 'github' } },
    }).preProcessEntity(entity, {
      type: 'url',
      target:
        'https://github.com/paved-road-demo/orders-api/blob/main/catalog-info.yaml',
    });
    expect(onGithub.metadata.links?.map(l => l.url)).toEqual([
      goldenPathLinks[0].url,
      goldenPathLinks[1].url,
    ]);

    const elsewhere = await processor(local).preProcessEntity(entity, {
      type: 'file',
      target: path.join(
        repos,
        'paved-road-demo',
        'billing-api',
        'catalog-info.yaml',
      ),
    });
    expect(elsewhere.metadata.links?.map(l => l.url)).toEqual([
      goldenPathLinks[0].url,
      goldenPathLinks[1].url,
    ]);
  });

  it('leaves an entity without links as it is', async () => {
    const bare = { ...entity, metadata: { name: 'orders-api' } };
    expect(
      await processor(local).preProcessEntity(bare, fromLocalRepository),
    ).toBe(bare);
  });
});
