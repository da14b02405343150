import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ComponentEntity,
  componentEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { PodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { SecurityContext } from 'kubernetes-models/v1/SecurityContext';
import request from 'supertest';
import { parse } from 'yaml';
import {
  argoCdApplicationProblems,
  helmChartProblems,
  kubernetesProblems,
  KubernetesModel,
  workflowProblems,
} from '../__testUtils__/validators';
import {
  formValues,
  GoldenPathBackend,
  LANGUAGES,
  runTemplate,
  startGoldenPathBackend,
  TaskResult,
  TEMPLATES,
  expectCompleted,
} from './__testUtils__/portalBackend';

// Every golden path, in every language, run as a real task through the real catalog and
// scaffolder on the embedded defaults (local publishing). Then the new repository is
// checked the way CI and the cluster would: schemas, parsers, and its own tests.

jest.setTimeout(600_000);

const run = promisify(execFile);

const REQUIRED_ANNOTATIONS = [
  'github.com/project-slug',
  'argocd/app-name',
  'cost-center',
  'pagerduty/service-id',
  'backstage.io/source-template',
  'backstage.io/kubernetes-id',
];

/** How each language's generated service runs its own tests, offline. */
const SELF_TEST = {
  node: {
    commands: [
      ['npm', 'ci', '--no-audit', '--no-fund', '--offline'],
      ['npm', 'test'],
    ],
    passed: /# fail 0/,
    failed: /^not ok/m,
  },
  go: {
    commands: [
      ['go', 'vet', './...'],
      ['go', 'test', './...'],
    ],
    passed: /^ok\s/m,
    failed: /^FAIL/m,
  },
};

const GO_NEEDED =
  'the Go golden paths are tested with `go test`: install Go 1.19+ (Debian: apt-get install golang-go)';

/** Says that Go is needed, rather than failing with `spawn go ENOENT`. */
async function requireGo(): Promise<void> {
  let version: string;
  try {
    version = (await run('go', ['version'])).stdout.trim();
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new Error(
      code === 'ENOENT'
        ? `Go is not installed (no \`go\` on PATH): ${GO_NEEDED}`
        : `Go does not run (${message}): ${GO_NEEDED}`,
    );
  }
  const [, major, minor] = version.match(/\bgo(\d+)\.(\d+)/) ?? [];
  if (!major || (Number(major) === 1 && Number(minor) < 19)) {
    throw new Error(`Go is too old (${version}): ${GO_NEEDED}`);
  }
}

let backend: GoldenPathBackend;

beforeAll(async () => {
  backend = await startGoldenPathBackend();
});
afterAll(async () => {
  await backend?.close();
});

describe.each(TEMPLATES)('golden path %s', template => {
  describe.each(LANGUAGES)('in %s', language => {
    const values = formValues(template, language);
    let task: TaskResult;
    let repo: string;
    const read = (file: string) =>
      fs.readFileSync(path.join(repo, file), 'utf8');

    beforeAll(async () => {
      task = await runTemplate(backend.server, template, values);
      repo = path.join(backend.reposDir, 'paved-road-demo', values.name);
    });

    it('completes and links the repository in the portal and the entity', () => {
      expectCompleted(task);
      expect(task.output.links).toEqual([
        {
          title: 'Repository',
          url: `http://localhost:3000/repositories/paved-road-demo/${values.name}`,
        },
        {
          title: 'Open in catalog',
          icon: 'catalog',
          entityRef: `component:default/${values.name}`,
        },
        // no Argo CD link: this portal has no pavedRoad.argocd.url
        { title: 'Argo CD application' },
      ]);
    });

    it('publishes one commit on main in a real git repository', async () => {
      const git = (...args: string[]) =>
        run('git', ['-C', repo, ...args]).then(r => r.stdout.trim());
      expect(await git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
      expect(await git('rev-list', '--count', 'HEAD')).toBe('1');
      expect(await git('status', '--porcelain')).toBe('');
    });

    it('registers a complete, valid component in the catalog', async () => {
      const entity = parse(read('catalog-info.yaml')) as ComponentEntity;
      await expect(
        componentEntityV1alpha1Validator.check(entity),
      ).resolves.toBe(true);
      for (const annotation of REQUIRED_ANNOTATIONS) {
        expect(entity.metadata.annotations?.[annotation]).toEqual(
          expect.any(String),
        );
      }
      expect(entity.metadata.annotations).toMatchObject({
        'github.com/project-slug': `paved-road-demo/${values.name}`,
        'argocd/app-name': values.name,
        'cost-center': values.costCenter,
        'pagerduty/service-id': values.onCall,
        'backstage.io/source-template': `template:default/${template}`,
      });
      expect(entity.metadata.description).toBe(values.description);
      expect(entity.spec).toMatchObject({
        type: 'service',
        lifecycle: values.lifecycle,
        owner: values.owner,
        system: values.system,
      });
      const linkTypes = (entity.metadata.links ?? []).map(l => l.type);
      expect(linkTypes).toEqual(
        expect.arrayContaining(['runbook', 'dashboard', 'slo']),
      );

      // and the catalog has read it from the new repository
      const deadline = Date.now() + 30_000;
      let res;
      do {
        res = await request(backend.server)
          .get(`/api/catalog/entities/by-name/component/default/${values.name}`)
          .set('Authorization', mockCredentials.user.header());
        if (res.status === 200) break;
        await new Promise(resolve => setTimeout(resolve, 250));
      } while (Date.now() < deadline);
      expect(res.status).toBe(200);
      expect(
        res.body.metadata.annotations['backstage.io/managed-by-location'],
      ).toBe(`file:${path.join(repo, 'catalog-info.yaml')}`);
    });

    it('has workflows that actionlint passes, with OIDC and a deploy pull request', async () => {
      const workflows = fs.readdirSync(path.join(repo, '.github/workflows'));
      expect(workflows).toContain('ci.yml');
      for (const file of workflows) {
        const relative = `.github/workflows/${file}`;
        expect(await workflowProblems(read(relative), relative)).toEqual([]);
      }
      const workflow = parse(read('.github/workflows/ci.yml'));
      expect(workflow.permissions).toEqual({
        'id-token': 'write',
        contents: 'read',
      });
      expect(Object.keys(workflow.on)).toEqual(
        expect.arrayContaining(['push', 'pull_request']),
      );
      expect(read('.github/workflows/ci.yml')).toContain('${{ github.sha }}');
    });

    it('has a Helm chart with a valid Chart.yaml and an image tag to update', () => {
      expect(helmChartProblems(parse(read('deploy/helm/Chart.yaml')))).toEqual(
        [],
      );
      const chartValues = parse(read('deploy/helm/values.yaml'));
      expect(chartValues.image).toMatchObject({ tag: expect.any(String) });
      // the deploy gate is there, off until the namespace has its token
      expect(chartValues.deployGate).toMatchObject({
        enabled: false,
        entity: `component/default/${values.name}`,
        tokenSecret: 'paved-road-deploy-gate',
      });
      const gate = read('deploy/helm/templates/deploy-gate.yaml');
      expect(gate).toContain('argocd.argoproj.io/hook: PreSync');
      expect(gate).toContain('/api/scorecard/gate/');
      const deployment = read('deploy/helm/templates/deployment.yaml');
      for (const needle of [
        'livenessProbe',
        'readinessProbe',
        'resources',
        'securityContext',
      ]) {
        expect(deployment).toContain(needle);
      }
    });

    it('has Kubernetes objects the cluster accepts: the alerts, and the values the chart puts in its pods', () => {
      const rules = parse(read('deploy/alerts/prometheus-rules.yaml'));
      expect(rules.kind).toBe('PrometheusRule');
      expect(kubernetesProblems(PrometheusRule, rules)).toEqual([]);
      // The chart's templates are Go templates that only helm renders; the blocks they
      // copy verbatim from values.yaml (toYaml) are checked as what they become.
      const chartValues = parse(read('deploy/helm/values.yaml'));
      const pasted: Array<[string, KubernetesModel]> = [
        ['resources', ResourceRequirements],
        ['podSecurityContext', PodSecurityContext],
        ['securityContext', SecurityContext],
      ];
      const deployment = read('deploy/helm/templates/deployment.yaml');
      for (const [key, model] of pasted) {
        expect(deployment).toContain(`toYaml .Values.${key} `);
        expect(kubernetesProblems(model, chartValues[key])).toEqual([]);
      }
    });

    it('has an Argo CD Application valid against the CRD', () => {
      const app = parse(read('argocd/app.yaml'));
      expect(argoCdApplicationProblems(app)).toEqual([]);
      expect(app.spec.source.repoURL).toBe(
        `https://github.com/paved-road-demo/${values.name}.git`,
      );
    });

    it('has a Terraform stub that parses', async () => {
      const main = await parseHcl('main.tf', read('infra/main.tf'));
      const blocks = Object.values(main.module)[0] as Array<
        Record<string, unknown>
      >;
      expect(blocks[0]).toMatchObject({
        name: values.name,
        cost_center: values.costCenter,
      });
    });

    it('has SLOs, alerts, a runbook and code owners', () => {
      for (const file of [
        'docs/runbook.md',
        '.github/CODEOWNERS',
        'deploy/alerts/prometheus-rules.yaml',
      ]) {
        expect(read(file).length).toBeGreaterThan(0);
      }
      const slos = fs.readdirSync(path.join(repo, 'slo'));
      expect(slos.length).toBeGreaterThan(0);
      for (const slo of slos) {
        expect(parse(read(`slo/${slo}`))).toMatchObject({
          apiVersion: 'openslo/v1',
        });
      }
      expect(read('Dockerfile')).toMatch(/^USER /m);
    });

    it('passes its own tests', async () => {
      const env = {
        ...process.env,
        CI: 'true',
        GOFLAGS: '-mod=mod',
        GOPROXY: 'off',
      };
      if (language === 'go') {
        await requireGo();
      }
      const { commands, passed, failed } = SELF_TEST[language];
      let stdout = '';
      for (const [command, ...args] of commands) {
        stdout = (await run(command, args, { cwd: repo, env })).stdout;
      }
      expect(stdout).toMatch(passed);
      expect(stdout).not.toMatch(failed);
    });
  });
});

describe('the golden-path form, checked again on the server', () => {
  it.each([
    ['name', { name: 'Orders_Service' }],
    ['costCenter', { costCenter: '1001' }],
    ['onCall', { onCall: 'pagerduty' }],
  ])('refuses a bad %s before any step runs', async (field, patch) => {
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/http-service',
        values: { ...formValues('http-service', 'node'), ...patch },
      });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});
