import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { InputError } from '@backstage/errors';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { createArgoCdApplicationAction } from './argocdApplication';
import { argoCdApplicationProblems } from '../__testUtils__/validators';
import { listFilesOutside, mostlyValid } from '../__testUtils__/hostile';
import { mockActionContext } from '../__testUtils__/actionContext';

// A thousand generated runs, each writing files: seconds on a quiet machine, more when
// CI runs every suite in parallel on two cores.
jest.setTimeout(60_000);

describe('argocd:app:create with generated input', () => {
  const action = createArgoCdApplicationAction();
  let root: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-property-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('either refuses with an InputError or writes a manifest that reads back exactly', async () => {
    const label = mostlyValid(
      fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/),
    );
    const input = fc.record(
      {
        name: label,
        namespace: label,
        repoUrl: mostlyValid(
          fc.webUrl().map(u => u.replace(/^http:/, 'https:')),
        ),
        path: mostlyValid(
          fc.stringMatching(/^[a-z0-9_-]{1,8}(\/[a-z0-9._-]{1,8}){0,3}$/),
        ),
        targetRevision: mostlyValid(
          fc.stringMatching(/^[A-Za-z0-9._/-]{1,20}$/),
        ),
        owner: mostlyValid(
          fc
            .tuple(
              fc.constantFrom('', 'group:', 'group:default/', 'user:team-a/'),
              fc.stringMatching(
                /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/,
              ),
            )
            .map(([prefix, name]) => prefix + name),
        ),
        costCenter: mostlyValid(
          fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/),
        ),
        outputPath: mostlyValid(
          fc.constantFrom(
            'argocd/app.yaml',
            'deploy/argocd.yml',
            'a.b/c-d_e.yaml',
            'link/app.yaml',
          ),
          fc.constantFrom(
            'link/../../escape.yaml',
            '../escape.yaml',
            ' ../',
            './app.yaml',
            'argocd/',
            '/tmp/absolute.yaml',
          ),
        ),
        automatedSync: fc.option(
          fc.record({ prune: fc.boolean(), selfHeal: fc.boolean() }),
          { nil: undefined },
        ),
        createNamespace: fc.boolean(),
      },
      { requiredKeys: ['name', 'namespace', 'repoUrl', 'owner', 'costCenter'] },
    );

    let run = 0;
    let written = 0;
    await fc.assert(
      fc.asyncProperty(input, async generated => {
        run += 1;
        const base = path.join(root, `run-${run}`);
        const workspacePath = path.join(base, 'workspace');
        const outside = path.join(base, 'outside');
        fs.mkdirSync(workspacePath, { recursive: true });
        fs.mkdirSync(outside);
        // a link in the workspace that leads out
        fs.symlinkSync(outside, path.join(workspacePath, 'link'));
        try {
          const { ctx, outputs } = mockActionContext({
            input: generated,
            workspacePath,
          });
          const failure = await action.handler(ctx).then(
            () => undefined,
            (error: unknown) => error,
          );
          // assert, not expect: the property decides per run which outcome applies
          // (and jest's realm makes deepEqual of arrays unreliable, so compare text)
          assert.equal(listFilesOutside(base, workspacePath).join(', '), '');
          if (failure !== undefined) {
            assert.ok(failure instanceof InputError, String(failure));
            assert.equal(fs.readdirSync(workspacePath).join(', '), 'link');
            return;
          }
          written += 1;
          const given = generated as Record<string, any>;
          const manifest = parse(
            fs.readFileSync(
              path.join(workspacePath, outputs.path as string),
              'utf8',
            ),
          );
          assert.equal(manifest.metadata.name, given.name);
          assert.equal(manifest.spec.destination.namespace, given.namespace);
          assert.equal(manifest.spec.source.repoURL, given.repoUrl);
          assert.equal(manifest.spec.source.path, given.path ?? 'deploy/helm');
          assert.equal(
            manifest.spec.source.targetRevision,
            given.targetRevision ?? 'main',
          );
          assert.equal(
            manifest.metadata.labels['paved-road.io/cost-center'],
            given.costCenter,
          );
          assert.ok(
            given.owner.endsWith(
              manifest.metadata.labels['paved-road.io/owner'],
            ),
          );
          assert.deepEqual(argoCdApplicationProblems(manifest), []);
        } finally {
          fs.rmSync(base, { recursive: true, force: true });
        }
      }),
      { numRuns: 1000 },
    );
    // the generators must reach both outcomes, or the property says little
    expect(written).toBeGreaterThan(50);
    expect(run - written).toBeGreaterThan(50);
  });
});
