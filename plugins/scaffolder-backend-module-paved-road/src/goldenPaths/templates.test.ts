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
import {
  DATABASE_SIZES,
  ENVIRONMENTS,
  INFRA_KINDS,
} from '../actions/infraRequest';
import { scaffolderModulePavedRoad } from '../module';
import {
  appConfigTerraformModules,
  REPO_ROOT,
} from './__testUtils__/portalBackend';

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

function tagsOf(file: string): string[] {
  return parse(fs.readFileSync(file, 'utf8')).metadata.tags ?? [];
}

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

    it('opts in to task recovery: its actions are safe to resume', () => {
      expect(template.spec.EXPERIMENTAL_recovery).toEqual({
        EXPERIMENTAL_strategy: 'startOver',
      });
    });

    it('is a golden path or a self-service template', () => {
      const tags: string[] = template.metadata.tags ?? [];
      expect(
        tags.filter(tag => tag === 'golden-path' || tag === 'self-service'),
      ).toHaveLength(1);
    });
  },
);

const goldenPaths = templateFiles.filter(file =>
  tagsOf(file).includes('golden-path'),
);
const selfService = templateFiles.filter(file =>
  tagsOf(file).includes('self-service'),
);

describe.each(goldenPaths.map(f => [path.relative(REPO_ROOT, f), f]))(
  'golden path %s',
  (_name, file) => {
    const template = parse(fs.readFileSync(file, 'utf8'));

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

describe.each(selfService.map(f => [path.relative(REPO_ROOT, f), f]))(
  'self-service %s',
  (_name, file) => {
    const template = parse(fs.readFileSync(file, 'utf8'));

    it('starts from an existing service: a picker of the components the user can see', () => {
      const [, service] =
        parametersOf(template).find(([key]) => key === 'service') ?? [];
      expect(service).toMatchObject({
        type: 'string',
        'ui:field': 'EntityPicker',
        'ui:options': {
          catalogFilter: { kind: 'Component' },
          allowArbitraryValues: false,
        },
      });
      expect(template.spec.parameters[0].required).toContain('service');
    });

    it('generates nothing secret in the form and links back to the service', () => {
      for (const [key, parameter] of parametersOf(template)) {
        expect({ key, field: parameter['ui:field'] }).not.toMatchObject({
          field: 'Secret',
        });
        expect(key).not.toMatch(/password|value|token/i);
      }
      expect(template.spec.output.links).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ entityRef: '${{ parameters.service }}' }),
        ]),
      );
    });
  },
);

const infraRequests = selfService.flatMap(file => {
  const template = parse(fs.readFileSync(file, 'utf8'));
  const step = template.spec.steps.find(
    (s: { action: string }) => s.action === 'portal:infra:request',
  );
  return step ? [[path.relative(REPO_ROOT, file), template, step]] : [];
});

describe.each(infraRequests)('infra request %s', (_name, template, step) => {
  it('requests a module app-config.yaml registers, with the choices the action takes', () => {
    const { kind } = step.input;
    expect(Object.keys(appConfigTerraformModules())).toContain(kind);
    expect(INFRA_KINDS).toContain(kind);
    const parameters = Object.fromEntries(parametersOf(template));
    expect(parameters.environment.enum).toEqual([...ENVIRONMENTS]);
    // only databases have a size
    const sized = kind === 'database';
    expect(parameters.size?.enum).toEqual(
      sized ? [...DATABASE_SIZES] : undefined,
    );
    expect(step.input.size).toEqual(
      sized ? '${{ parameters.size }}' : undefined,
    );
    expect(template.spec.output.links[0].url).toBe(
      '${{ steps.request.output.url }}',
    );
  });
});

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

describe('task recovery', () => {
  it('is on in the embedded defaults and in production, which layers on them', () => {
    const read = (file: string) =>
      parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
    const embedded = read('app-config.yaml');
    const production = read('app-config.production.yaml');
    expect(embedded.scaffolder.taskRecovery).toEqual({
      enabled: true,
      staleTimeout: { seconds: 30 },
    });
    expect(production.scaffolder?.taskRecovery?.enabled).not.toBe(false);
  });
});
