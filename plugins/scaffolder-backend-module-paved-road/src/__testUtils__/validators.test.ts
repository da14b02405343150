import fs from 'node:fs';
import path from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { PodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import {
  argoCdApplicationProblems,
  helmChartProblems,
  kubernetesProblems,
  workflowProblems,
} from './validators';

// The golden-path tests trust these validators to fail on a broken file: each is shown
// failing here on the kind of mistake it is there to catch.

const application = () => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: {
    name: 'payments-api',
    namespace: 'argocd',
    labels: { 'app.kubernetes.io/name': 'payments-api' },
  },
  spec: {
    project: 'default',
    source: {
      repoURL: 'https://github.com/paved-road-demo/payments-api.git',
      path: 'deploy/helm',
      targetRevision: 'main',
      helm: { valuesObject: { anything: { goes: true } } },
    },
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'payments',
    },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ['CreateNamespace=true'],
    },
  },
});

describe('argoCdApplicationProblems', () => {
  it('accepts a valid Application, with any labels and free-form Helm values', () => {
    expect(argoCdApplicationProblems(application())).toEqual([]);
  });

  it('names each misspelt field, however deep', () => {
    const app = application() as any;
    app.metadata.lables = app.metadata.labels;
    app.spec.source.repoUrl = app.spec.source.repoURL;
    app.spec.syncPolicy.automated.selfheal = true;
    app.spec.ignoreDifferences = [{ kind: 'Deployment', jsonPointer: ['/x'] }];
    expect(argoCdApplicationProblems(app)).toEqual(
      expect.arrayContaining([
        "/metadata: unknown field 'lables'",
        "/spec/source: unknown field 'repoUrl'",
        "/spec/syncPolicy/automated: unknown field 'selfheal'",
        "/spec/ignoreDifferences/0: unknown field 'jsonPointer'",
      ]),
    );
  });

  it('reports wrong types and missing required fields', () => {
    const app = application() as any;
    app.spec.project = 7;
    delete app.spec.destination;
    expect(argoCdApplicationProblems(app)).toEqual(
      expect.arrayContaining([
        '/spec/project: must be string',
        '/spec: must have required property destination',
      ]),
    );
  });
});

describe('kubernetesProblems', () => {
  it('checks the blocks of a Helm values file against their Kubernetes types', () => {
    const resources = { requests: { cpu: '100m', memory: '128Mi' } };
    expect(kubernetesProblems(ResourceRequirements, resources)).toEqual([]);
    expect(
      kubernetesProblems(ResourceRequirements, { request: { cpu: '100m' } }),
    ).toEqual(["/: unknown field 'request'"]);
    expect(
      kubernetesProblems(PodSecurityContext, {
        runAsNonRoot: 'yes',
        runAsUser: 65532,
      }),
    ).toEqual(['/runAsNonRoot: must be boolean']);
  });

  it('checks a PrometheusRule down to its rules', () => {
    const rule = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'payments-api-slo', namespace: 'payments' },
      spec: {
        groups: [
          {
            name: 'payments-api-slo-availability',
            rules: [
              {
                alert: 'PaymentsApiErrorBudgetBurn',
                expr: 'slo:sli_error:ratio_rate1h > (14.4 * 0.005)',
                for: '2m',
                labels: { severity: 'page' },
                annotations: { summary: 'Error budget burning fast' },
              },
            ],
          },
        ],
      },
    };
    expect(kubernetesProblems(PrometheusRule, rule)).toEqual([]);
    const misspelt = structuredClone(rule) as any;
    misspelt.spec.groups[0].rules[0].annotation = { summary: 'x' };
    delete misspelt.spec.groups[0].rules[0].expr;
    expect(kubernetesProblems(PrometheusRule, misspelt)).toEqual(
      expect.arrayContaining([
        "/spec/groups/0/rules/0: unknown field 'annotation'",
        '/spec/groups/0/rules/0: must have required property expr',
      ]),
    );
  });
});

describe('workflowProblems', () => {
  const workflow = (step: string) => `on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${step}
`;

  it('passes a clean workflow', async () => {
    expect(
      await workflowProblems(
        workflow(`      - run: echo "$TITLE"
        env:
          TITLE: \${{ github.event.pull_request.title }}`),
      ),
    ).toEqual([]);
  });

  it('reports a pull request title interpolated into a script as script injection', async () => {
    const problems = await workflowProblems(
      workflow('      - run: echo "${{ github.event.pull_request.title }}"'),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^\.github\/workflows\/ci\.yml:9:\d+: "github\.event\.pull_request\.title" is potentially untrusted\..* \[expression\]$/,
      ),
    ]);
  });

  it("knows GitHub's configuration variables, and no other undefined context", async () => {
    expect(
      await workflowProblems(
        workflow(`      - run: echo "$REGION"
        env:
          REGION: \${{ vars.AWS_REGION }}`),
      ),
    ).toEqual([]);
    expect(
      await workflowProblems(
        workflow(`      - run: echo "$REGION"
        env:
          REGION: \${{ varz.AWS_REGION }}`),
      ),
    ).toEqual([
      expect.stringMatching(/undefined variable "varz"\. .*\[expression\]$/),
    ]);
  });

  it('reports an unknown property in an expression', async () => {
    const problems = await workflowProblems(
      workflow('      - run: echo "${{ runner.osname }}"'),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /property "osname" is not defined .*\[expression\]$/,
      ),
    ]);
  });
});

describe("the portal's own workflows", () => {
  it('pass actionlint', async () => {
    const root = path.resolve(__dirname, '../../../..');
    const files = fs.readdirSync(path.join(root, '.github/workflows'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const relative = `.github/workflows/${file}`;
      const text = fs.readFileSync(path.join(root, relative), 'utf8');
      expect(await workflowProblems(text, relative)).toEqual([]);
    }
  });
});

describe('helmChartProblems', () => {
  const chart = {
    apiVersion: 'v2',
    name: 'payments-api',
    version: '0.1.0',
    appVersion: '0.1.0',
    type: 'application',
  };

  it('accepts a valid Chart.yaml', () => {
    expect(helmChartProblems(chart)).toEqual([]);
  });

  it('reports an unknown field and a wrong value', () => {
    expect(helmChartProblems({ ...chart, appversion: '1' })).toEqual([
      "/: must NOT have additional properties 'appversion'",
    ]);
    expect(helmChartProblems({ ...chart, apiVersion: 'v9' })).toEqual([
      '/apiVersion: must be equal to one of the allowed values',
    ]);
  });
});
