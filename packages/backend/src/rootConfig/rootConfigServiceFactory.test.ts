import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFilePaths } from './rootConfigServiceFactory';

describe('configFilePaths', () => {
  let dir: string;
  const originalEnv = process.env.BACKSTAGE_ENV;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-paths-'));
    for (const name of [
      'app-config.yaml',
      'app-config.local.yaml',
      'app-config.production.yaml',
    ]) {
      fs.writeFileSync(path.join(dir, name), '{}\n');
    }
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (originalEnv === undefined) {
      delete process.env.BACKSTAGE_ENV;
    } else {
      process.env.BACKSTAGE_ENV = originalEnv;
    }
  });

  it('takes the --config files of the command line, in order', () => {
    const paths = configFilePaths(
      ['node', 'index.js', '--config', 'a.yaml', '--config', '/etc/b.yaml'],
      dir,
    );
    expect(paths).toEqual([path.resolve('a.yaml'), '/etc/b.yaml']);
  });

  it('falls back to the files the default config source reads', () => {
    delete process.env.BACKSTAGE_ENV;
    expect(configFilePaths(['node', 'index.js'], dir)).toEqual([
      path.join(dir, 'app-config.yaml'),
      path.join(dir, 'app-config.local.yaml'),
    ]);
  });

  it('adds the files of BACKSTAGE_ENV that exist', () => {
    process.env.BACKSTAGE_ENV = 'production,staging';
    expect(configFilePaths(['node', 'index.js'], dir)).toEqual([
      path.join(dir, 'app-config.yaml'),
      path.join(dir, 'app-config.production.yaml'),
      path.join(dir, 'app-config.local.yaml'),
    ]);
  });
});
