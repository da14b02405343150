import fs from 'node:fs';
import path from 'node:path';
import {
  commitFiles,
  NODE_HTTP_LAYERS,
  readSkeletonLayers,
  upgradeFixture,
} from '../__testUtils__/upgradeFixture';
import { upgradeService } from './upgradeService';

// `yarn bench:upgrades` (UPGRADE_BENCH_SERVICES=200): upgrade proposals for many services
// made from the real http-service skeletons (Node.js) on the local host, as the embedded
// defaults keep them; prints the total and the time per service. In `yarn test` it runs
// for a few services only.

const SERVICES = Number(process.env.UPGRADE_BENCH_SERVICES ?? 3);
const LAYERS = NODE_HTTP_LAYERS;

jest.setTimeout(Math.max(120_000, SERVICES * 10_000));

function values(name: string) {
  return {
    name,
    description: `Benchmark service ${name}`,
    language: 'node',
    kind: 'http',
    owner: 'group:default/payments-team',
    ownerName: 'payments-team',
    system: 'system:default/payments',
    systemName: 'payments',
    namespace: 'payments',
    costCenter: 'CC-1001',
    onCall: 'PABC123',
    lifecycle: 'experimental',
    githubOrg: 'acme',
    repoSlug: `acme/${name}`,
    repoUrl: `https://github.com/acme/${name}`,
    templateRef: 'template:default/http-service',
    template: 'http-service',
  };
}

it(`proposes the upgrade of ${SERVICES} services`, async () => {
  const skeletons = readSkeletonLayers(LAYERS);
  const fixture = await upgradeFixture({ template: 'http-service', skeletons });
  try {
    const repos = [];
    for (let i = 0; i < SERVICES; i++) {
      const repo = { host: 'github.com', owner: 'acme', name: `svc-${i}` };
      const dir = await fixture.scaffold(repo, values(repo.name), LAYERS);
      commitFiles(
        dir,
        {
          'deploy/helm/values.yaml': fs
            .readFileSync(path.join(dir, 'deploy/helm/values.yaml'), 'utf8')
            .replace('replicaCount: 2', 'replicaCount: 3'),
        },
        'More replicas',
      );
      repos.push(repo);
    }
    fixture.commitPortal(
      {
        'skeletons/node-common/Dockerfile': skeletons[
          'node-common'
        ].Dockerfile.replace(
          'FROM node:22-bookworm-slim AS build',
          'FROM node:22.18-bookworm-slim AS build',
        ),
        'skeletons/service/.github/dependabot.yml':
          'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n',
      },
      2,
    );

    const ctx = fixture.ctx();
    const started = process.hrtime.bigint();
    const outcomes = [];
    for (const repo of repos) {
      outcomes.push(await upgradeService(fixture.engine, { repo, ctx }));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;

    process.stdout.write(
      `template upgrades: ${SERVICES} services in ${seconds.toFixed(2)} s, ${(
        (seconds / SERVICES) *
        1000
      ).toFixed(0)} ms per service\n`,
    );
    expect(
      outcomes.filter(
        o => o.state === 'proposed' && o.created && o.conflicts.length === 0,
      ),
    ).toHaveLength(SERVICES);
  } finally {
    fixture.cleanup();
  }
});
