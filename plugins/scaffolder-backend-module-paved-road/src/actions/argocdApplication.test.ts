import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { readPavedRoadConfig } from '../config';
import { createArgoCdApplicationAction } from './argocdApplication';
import { examples } from './argocdApplication.examples';
import { argoCdApplicationProblems } from '../__testUtils__/validators';
import { mockActionContext } from '../__testUtils__/actionContext';

const baseInput = {
  name: 'payments-api',
  namespace: 'payments',
  repoUrl: 'https://github.com/paved-road-demo/payments-api.git',
  owner: 'group:default/payments-team',
  costCenter: 'CC-1001',
};

describe('argocd:app:create', () => {
  const action = createArgoCdApplicationAction();
  let root: string;
  let workspacePath: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-action-'));
    workspacePath = path.join(root, 'workspace');
    fs.mkdirSync(workspacePath);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function readManifest(relative = 'argocd/app.yaml') {
    return parse(fs.readFileSync(path.join(workspacePath, relative), 'utf8'));
  }

  it('writes an Application with the paved-road defaults', async () => {
    const { ctx, outputs } = mockActionContext({
      input: baseInput,
      workspacePath,
    });
    await action.handler(ctx);

    const manifest = readManifest();
    expect(manifest).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'payments-api',
        namespace: 'argocd',
        labels: {
          'app.kubernetes.io/name': 'payments-api',
          'paved-road.io/owner': 'payments-team',
          'paved-road.io/cost-center': 'CC-1001',
        },
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://github.com/paved-road-demo/payments-api.git',
          path: 'deploy/helm',
          targetRevision: 'main',
        },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: 'payments',
        },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
    expect(argoCdApplicationProblems(manifest)).toEqual([]);
    expect(outputs).toEqual({
      path: 'argocd/app.yaml',
      appName: 'payments-api',
    });
  });

  it("links to the Application in Argo CD's web UI where the portal knows it", async () => {
    const { ctx, outputs } = mockActionContext({
      input: { ...baseInput, argocdNamespace: 'gitops' },
      workspacePath,
    });
    await createArgoCdApplicationAction({
      argocdUrl: new URL('https://argocd.acme.test/'),
    }).handler(ctx);

    expect(outputs).toEqual({
      path: 'argocd/app.yaml',
      appName: 'payments-api',
      appUrl: 'https://argocd.acme.test/applications/gitops/payments-api',
    });
  });

  it('reads pavedRoad.argocd.url at startup, refusing what is no web address', () => {
    const read = (url: string) =>
      readPavedRoadConfig(new ConfigReader({ pavedRoad: { argocd: { url } } }))
        .links.argocd?.href;
    expect(read('https://argocd.acme.test/ui/')).toBe(
      'https://argocd.acme.test/ui',
    );
    expect(() => read('argocd.acme.test')).toThrow(
      "Invalid config 'pavedRoad.argocd.url': must be an absolute http or https URL",
    );
    expect(
      readPavedRoadConfig(new ConfigReader({})).links.argocd,
    ).toBeUndefined();
  });

  it('adds automated sync and leaves out CreateNamespace on request', async () => {
    const { ctx } = mockActionContext({
      input: {
        ...baseInput,
        automatedSync: { prune: false },
        createNamespace: false,
        outputPath: 'deploy/argocd/payments.yaml',
      },
      workspacePath,
    });
    await action.handler(ctx);

    const manifest = readManifest('deploy/argocd/payments.yaml');
    expect(manifest.spec.syncPolicy).toEqual({
      automated: { prune: false, selfHeal: true },
    });
    expect(argoCdApplicationProblems(manifest)).toEqual([]);
  });

  it('writes the same file in a dry run', async () => {
    const { ctx } = mockActionContext({
      input: baseInput,
      workspacePath,
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(readManifest().metadata.name).toBe('payments-api');
  });

  it('runs every documented example', async () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const step = parse(example.example).steps[0];
      expect(step.action).toBe('argocd:app:create');
      const dir = fs.mkdtempSync(path.join(root, 'example-'));
      await action.handler(
        mockActionContext({ input: step.input, workspacePath: dir }).ctx,
      );
      const written = step.input.outputPath ?? 'argocd/app.yaml';
      const manifest = parse(fs.readFileSync(path.join(dir, written), 'utf8'));
      expect(manifest.metadata.name).toBe(step.input.name);
      expect(argoCdApplicationProblems(manifest)).toEqual([]);
    }
  });

  it.each([
    [{ name: 'Payments_API' }, "'name'"],
    [{ name: 'a'.repeat(64) }, "'name'"],
    [{ name: 42 }, "'name': must be a string"],
    [{ namespace: '-payments' }, "'namespace'"],
    [{ repoUrl: 'file:///etc/passwd' }, "'repoUrl'"],
    [{ path: '../../etc' }, "'path'"],
    [{ targetRevision: 'main; rm -rf /' }, "'targetRevision'"],
    [{ destinationServer: 'http://insecure' }, "'destinationServer'"],
    [{ costCenter: 'CC 1001' }, "'costCenter'"],
    [{ owner: 'group:default/Payments Team' }, "'owner'"],
    [{ automatedSync: { prune: 'yes' } }, "'automatedSync.prune'"],
    [{ outputPath: '../escape.yaml' }, "'outputPath'"],
    [{ outputPath: '/etc/argocd.yaml' }, "'outputPath'"],
    [{ outputPath: '.' }, "'outputPath'"],
    [{ unexpected: true }, "'unexpected'"],
  ])(
    'refuses %o, naming the field, and writes nothing',
    async (patch, field) => {
      const { ctx } = mockActionContext({
        input: { ...baseInput, ...patch },
        workspacePath,
      });
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(field);
      expect(fs.readdirSync(workspacePath)).toEqual([]);
      expect(fs.readdirSync(root)).toEqual(['workspace']);
    },
  );

  it('refuses to write through a symbolic link that leads outside the workspace', async () => {
    const outside = path.join(root, 'outside');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(workspacePath, 'argocd'));

    const { ctx } = mockActionContext({ input: baseInput, workspacePath });
    const error = await action.handler(ctx).catch(e => e);

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("'outputPath'");
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('refuses to overwrite a file that is a symbolic link', async () => {
    fs.mkdirSync(path.join(workspacePath, 'argocd'));
    fs.writeFileSync(path.join(workspacePath, 'target.yaml'), 'keep me\n');
    fs.symlinkSync(
      path.join(workspacePath, 'target.yaml'),
      path.join(workspacePath, 'argocd', 'app.yaml'),
    );

    const { ctx } = mockActionContext({ input: baseInput, workspacePath });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "Invalid input: field 'outputPath': 'argocd/app.yaml' is a symbolic link",
    );
    expect(
      fs.readFileSync(path.join(workspacePath, 'target.yaml'), 'utf8'),
    ).toBe('keep me\n');
  });
});

describe('the Argo CD Application validator', () => {
  it('rejects a misspelt field and a wrong type, so the checks above mean something', () => {
    const manifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'x' },
      spec: {
        project: 'default',
        source: { repoUrl: 'https://example.com/x.git' },
        destination: { server: 'https://kubernetes.default.svc' },
      },
    };
    expect(argoCdApplicationProblems(manifest)).toEqual(
      expect.arrayContaining(["/spec/source: unknown field 'repoUrl'"]),
    );
    expect(
      argoCdApplicationProblems({
        ...manifest,
        spec: { ...manifest.spec, project: 7 },
      }),
    ).toContain('/spec/project: must be string');
  });
});

describe('argocd:app:create output paths through files', () => {
  it('says a path runs through a file rather than out of the workspace', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-enotdir-'));
    try {
      fs.writeFileSync(path.join(root, 'README.md'), 'hello\n');
      const { ctx } = mockActionContext({
        input: { ...baseInput, outputPath: 'README.md/app.yaml' },
        workspacePath: root,
      });
      const error = await createArgoCdApplicationAction()
        .handler(ctx)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        "Invalid input: field 'outputPath': 'README.md/app.yaml' cannot be used as a path in the workspace (ENOTDIR)",
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
