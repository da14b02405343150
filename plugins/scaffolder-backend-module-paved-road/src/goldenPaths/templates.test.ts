import fs from 'node:fs';
import path from 'node:path';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import request from 'supertest';
import { parse } from 'yaml';
import { scaffolderModulePavedRoad } from '../module';
import { REPO_ROOT } from './__testUtils__/portalBackend';

// `yarn templates:check`: what the platform team's template pull requests must pass.
// (Rendering every template for real is goldenPaths.test.ts, run by the same command.)

const templateFiles = fs
  .readdirSync(path.join(REPO_ROOT, 'templates'))
  .map(dir => path.join(REPO_ROOT, 'templates', dir, 'template.yaml'))
  .filter(file => fs.existsSync(file));

type Parameter = {
  type?: string;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  'ui:field'?: string;
};

function parametersOf(template: any): Array<[string, Parameter]> {
  const pages = [template.spec.parameters ?? []].flat();
  return pages.flatMap((page: any) =>
    Object.entries(page.properties ?? {}),
  ) as Array<[string, Parameter]>;
}

describe.each(templateFiles.map(f => [path.relative(REPO_ROOT, f), f]))(
  '%s',
  (_name, file) => {
    const template = parse(fs.readFileSync(file, 'utf8'));

    it('is a valid scaffolder.backstage.io/v1beta3 Template', async () => {
      await expect(
        templateEntityV1beta3Validator.check(template),
      ).resolves.toBe(true);
    });

    it('bounds every text parameter with a pattern, a list or a picker', () => {
      const loose = parametersOf(template)
        .filter(([, p]) => p.type === 'string')
        .filter(
          ([, p]) => !p.pattern && !p.enum && !p['ui:field'] && !p.maxLength,
        )
        .map(([key]) => key);
      expect(loose).toEqual([]);
    });

    it('checks names as DNS-1123 labels', () => {
      const name = parametersOf(template).find(([key]) => key === 'name')?.[1];
      expect(name?.pattern).toBe('^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$');
      expect(name?.maxLength).toBe(63);
    });

    it('renders skeletons that exist in the repository', () => {
      const names = template.spec.steps
        .filter((s: any) => s.action === 'portal:skeleton:render')
        .flatMap((s: any) => {
          const skeleton: string = s.input.skeleton;
          return skeleton.includes('${{ parameters.language }}')
            ? ['node', 'go'].map(l =>
                skeleton.replace('${{ parameters.language }}', l),
              )
            : [skeleton];
        });
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        expect({
          name,
          exists: fs.existsSync(path.join(REPO_ROOT, 'skeletons', name)),
        }).toEqual({ name, exists: true });
      }
    });
  },
);

describe('template actions', () => {
  it('are all installed in the portal backend', async () => {
    const { server } = await startTestBackend({
      features: [scaffolderPlugin, githubModule, scaffolderModulePavedRoad],
    });
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header());
    const installed = new Set(res.body.map((a: { id: string }) => a.id));
    const missing = templateFiles.flatMap(file =>
      parse(fs.readFileSync(file, 'utf8'))
        .spec.steps.map((s: { action: string }) => s.action)
        .filter((action: string) => !installed.has(action))
        .map(
          (action: string) => `${path.relative(REPO_ROOT, file)}: ${action}`,
        ),
    );
    expect(installed.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});
