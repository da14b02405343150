import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { FileLocationPolicy } from './fileLocations';

describe('FileLocationPolicy', () => {
  // A portal checkout: packages/backend is where the backend runs.
  let root: string;
  let backend: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-'));
    backend = path.join(root, 'packages', 'backend');
    for (const dir of [
      'packages/backend',
      'catalog',
      'templates/http',
      '.portal-data/repos',
    ]) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const policy = (publish: object) =>
    FileLocationPolicy.fromConfig(
      new ConfigReader({
        pavedRoad: { publish },
        catalog: {
          locations: [
            { type: 'file', target: '../../catalog-info.yaml' },
            { type: 'file', target: '../../catalog/all.yaml' },
            { type: 'file', target: '../../templates/*/template.yaml' },
            {
              type: 'url',
              target: 'https://github.com/acme/x/blob/main/a.yaml',
            },
          ],
        },
      }),
      backend,
    );
  const at = (...segments: string[]) => path.join(root, ...segments);

  it('allows the local repositories and the folders of the configured locations', () => {
    const local = policy({
      target: 'local',
      local: { directory: '../../.portal-data/repos' },
    });
    for (const allowed of [
      at('.portal-data/repos/team/svc/catalog-info.yaml'),
      at('catalog/org.yaml'),
      at('templates/http/template.yaml'),
      at('catalog-info.yaml'),
    ]) {
      expect(local.problem(allowed)).toBeUndefined();
    }
  });

  it("opens the portal's own root for its one file only", () => {
    const local = policy({
      target: 'local',
      local: { directory: '../../.portal-data/repos' },
    });
    for (const refused of [
      at('app-config.yaml'),
      at('.portal-data/sqlite/catalog.sqlite'),
      at('packages/backend/src/index.ts'),
      at('catalog/../app-config.yaml'),
      '/etc/passwd',
    ]) {
      expect(local.problem(refused)).toContain('is refused');
    }
  });

  it('allows no local repositories when golden paths publish to GitHub', () => {
    const github = policy({
      target: 'github',
      local: { directory: '../../.portal-data/repos' },
    });
    expect(
      github.problem(at('.portal-data/repos/team/svc/catalog-info.yaml')),
    ).toContain('is refused');
    expect(github.problem(at('catalog/all.yaml'))).toBeUndefined();
  });
});
