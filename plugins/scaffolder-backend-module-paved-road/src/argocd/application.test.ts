import { InputError } from '@backstage/errors';
import {
  buildArgoCdApplication,
  validateArgoCdApplication,
} from './application';

const input = {
  name: 'payments-api',
  namespace: 'payments',
  repoUrl: 'https://github.com/acme/payments-api.git',
  path: 'deploy/helm',
  targetRevision: 'main',
  project: 'default',
  destinationServer: 'https://kubernetes.default.svc',
  argocdNamespace: 'argocd',
  owner: 'group:default/payments-team',
  costCenter: 'CC-1001',
  automatedSync: { prune: true, selfHeal: true },
  createNamespace: true,
};

describe('validateArgoCdApplication', () => {
  it('accepts the Application the action builds', async () => {
    await expect(
      validateArgoCdApplication(buildArgoCdApplication(input)),
    ).resolves.toBeUndefined();
  });

  it.each<[string, (app: any) => void, string]>([
    [
      'automatedSync',
      app => {
        app.spec.syncPolicy.automated.prune = 'yes';
      },
      '/spec/syncPolicy/automated/prune must be boolean',
    ],
    [
      'repoUrl',
      app => {
        app.spec.source.repoURL = 42;
      },
      '/spec/source/repoURL must be string',
    ],
    [
      'owner',
      app => {
        app.metadata.labels['paved-road.io/owner'] = ['payments-team'];
      },
      '/metadata/labels/paved-road.io~1owner must be string',
    ],
  ])(
    'refuses an Application whose %s is wrong, naming that input field',
    async (field, spoil, problem) => {
      const app = buildArgoCdApplication(input);
      spoil(app);
      const error = await validateArgoCdApplication(app).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        `Invalid input: field '${field}': makes an invalid Argo CD Application: ${problem}`,
      );
    },
  );

  it('says a fault no input field explains is ours, not an InputError', async () => {
    const app: any = buildArgoCdApplication(input);
    app.spec.source.helm = 'values.yaml';
    const error = await validateArgoCdApplication(app).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InputError);
    expect(error.message).toContain(
      "The Argo CD Application 'payments-api' is invalid",
    );
    expect(error.message).toContain('/spec/source/helm');
  });
});
