import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createArgoCdApplicationAction } from '@internal/plugin-scaffolder-backend-module-paved-road';
// scripts/artifact is the repository's tooling (yarn artifact), in no package
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { readRepoRecipe } from '../../../../scripts/artifact/artifact';
import { requiredVariables } from '../rootConfig/requiredEnv';
import { kubernetesProblems } from './__testUtils__/kubernetesSchemas';
import { REPO_ROOT } from './__testUtils__/sampleCatalog';

// deploy/: the portal's own Kubernetes manifests and its Argo CD Application.

type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // the objects are checked against their schemas first; the rest reads them loosely
  spec?: any;
  data?: Record<string, string>;
};

const DEPLOY = path.join(REPO_ROOT, 'deploy/kubernetes');
const read = (file: string) =>
  fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const kustomization = parse(read('deploy/kubernetes/kustomization.yaml'));
const objects: KubernetesObject[] = (
  kustomization.resources as string[]
).flatMap(file =>
  parseAllDocuments(fs.readFileSync(path.join(DEPLOY, file), 'utf8')).map(doc =>
    doc.toJS(),
  ),
);
const find = (kind: string, name?: string) => {
  const found = objects.filter(
    o => o.kind === kind && (!name || o.metadata.name === name),
  );
  expect(found).toHaveLength(1);
  return found[0];
};

describe('the Kubernetes manifests', () => {
  const deployment = find('Deployment');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];

  it('are all listed by the kustomization, and each is valid against its Kubernetes schema, strictly', () => {
    const files = fs
      .readdirSync(DEPLOY)
      .filter(file => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
    expect(objects.map(o => o.kind).sort()).toEqual([
      'ConfigMap',
      'ConfigMap',
      'Deployment',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
    for (const object of objects) {
      expect([
        object.kind,
        object.metadata.name,
        kubernetesProblems(object),
      ]).toEqual([object.kind, object.metadata.name, []]);
    }
    // the check can fail: a misspelt and a mistyped field of the Deployment
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].readinessprobe = {};
    broken.spec.replicas = 'two';
    expect(kubernetesProblems(broken)).toEqual([
      '/spec/replicas type {"type":"integer"}',
      '/spec/template/spec/containers/0/readinessprobe is not a field of Deployment',
    ]);
  });

  it("runs two replicas of the image's command, checked on the backend's health endpoints", () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({
      maxSurge: 1,
      maxUnavailable: 0,
    });
    const recipe = readRepoRecipe();
    expect([...container.command, ...container.args]).toEqual([
      ...recipe.command,
      '--config',
      '/etc/portal/app-config.kubernetes.yaml',
    ]);
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/readiness',
      port: 'http',
    });
    expect(container.startupProbe.httpGet.path).toBe(
      '/.backstage/health/v1/readiness',
    );
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
    expect(container.resources.requests).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    // the image's non-root user, on a read-only root filesystem with /tmp writable
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.volumeMounts).toContainEqual({
      name: 'tmp',
      mountPath: '/tmp',
    });
    const env = find('ConfigMap', 'paved-road-portal-env').data!;
    expect(container.ports).toEqual([
      { name: 'http', containerPort: Number(env.PORTAL_PORT), protocol: 'TCP' },
    ]);
  });

  it('gives the backend every variable app-config.production.yaml requires, each secret from the Secret', () => {
    const env = find('ConfigMap', 'paved-road-portal-env');
    expect(container.envFrom).toEqual([
      { configMapRef: { name: env.metadata.name } },
    ]);
    const fromSecret = new Map<string, { name: string; key: string }>(
      (container.env as Array<{ name: string; valueFrom?: any }>).map(v => [
        v.name,
        v.valueFrom?.secretKeyRef,
      ]),
    );
    for (const [name, ref] of fromSecret) {
      expect([name, ref?.name, ref?.key]).toEqual([
        name,
        'paved-road-portal',
        name,
      ]);
    }
    const provided = new Set([...Object.keys(env.data!), ...fromSecret.keys()]);
    const required = requiredVariables(read('app-config.production.yaml'));
    expect(required.length).toBeGreaterThan(10);
    expect(required.filter(name => !provided.has(name))).toEqual([]);
    // nothing secret in the ConfigMap, no Secret with a value in the repository
    expect(
      Object.keys(env.data!).filter(name =>
        /SECRET|TOKEN|PASSWORD|USER/.test(name),
      ),
    ).toEqual([]);
    for (const name of [
      'BACKEND_SECRET',
      'POSTGRES_PASSWORD',
      'OKTA_CLIENT_SECRET',
    ]) {
      expect(fromSecret.get(name)).toBeDefined();
    }
    const allYaml = fs
      .readdirSync(path.join(REPO_ROOT, 'deploy'), { recursive: true })
      .map(String)
      .filter(file => file.endsWith('.yaml'));
    for (const file of allYaml) {
      expect([file, read(`deploy/${file}`)]).not.toEqual([
        file,
        expect.stringMatching(/^kind: Secret$/m),
      ]);
    }
    // the README names every key of the Secret
    const readme = read('README.md');
    for (const name of fromSecret.keys()) {
      expect([name, readme.includes(`\`${name}\``)]).toEqual([name, true]);
    }
  });

  it('mounts the files the config points at', () => {
    const env = find('ConfigMap', 'paved-road-portal-env').data!;
    const files = find('ConfigMap', 'paved-road-portal-files').data!;
    const mount = container.volumeMounts.find(
      (m: { name: string }) => m.name === 'files',
    );
    const volume = pod.spec.volumes.find(
      (v: { name: string }) => v.name === 'files',
    );
    expect(volume.configMap.name).toBe('paved-road-portal-files');
    const mounted = (file: string) =>
      file.startsWith(`${mount.mountPath}/`) &&
      file.slice(mount.mountPath.length + 1) in files;
    expect(mounted(env.KUBERNETES_CLUSTERS_FILE)).toBe(true);
    expect(mounted(container.args[container.args.length - 1])).toBe(true);
    const layer = parse(files['app-config.kubernetes.yaml']);
    expect(layer.backend.database.knexConfig.pool.max).toBeGreaterThan(0);
    expect(requiredVariables(files['app-config.kubernetes.yaml'])).toEqual([]);
    expect(parse(files['kubernetes-clusters.yaml'])).toEqual([]);
  });

  it('keeps a replica serving through voluntary disruptions, behind one Service', () => {
    const labels = pod.metadata.labels;
    const pdb = find('PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    const service = find('Service');
    expect(labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports[0].targetPort).toBe(container.ports[0].name);
  });
});

describe('the Argo CD Application', () => {
  it('is what argocd:app:create writes for the portal, as for a golden-path service', async () => {
    const entity = parse(read('catalog-info.yaml'));
    const workspacePath = fs.mkdtempSync(
      path.join(os.tmpdir(), 'portal-argocd-'),
    );
    try {
      const ctx = createMockActionContext({
        workspacePath,
        input: {
          name: entity.metadata.name,
          namespace: entity.spec.system,
          repoUrl: `https://github.com/${entity.metadata.annotations['github.com/project-slug']}.git`,
          path: 'deploy/kubernetes',
          owner: `group:default/${entity.spec.owner}`,
          costCenter: entity.metadata.annotations['cost-center'],
          automatedSync: { prune: true, selfHeal: true },
          outputPath: 'deploy/argocd/application.yaml',
        },
      });
      const action = createArgoCdApplicationAction();
      // as a template calls it: the action fills in its defaults itself
      await action.handler(ctx as Parameters<typeof action.handler>[0]);
      const written = fs.readFileSync(
        path.join(workspacePath, 'deploy/argocd/application.yaml'),
        'utf8',
      );
      expect(parse(read('deploy/argocd/application.yaml'))).toEqual(
        parse(written),
      );
      expect(entity.metadata.annotations['argocd/app-name']).toBe(
        parse(written).metadata.name,
      );
    } finally {
      fs.rmSync(workspacePath, { recursive: true, force: true });
    }
  });
});
