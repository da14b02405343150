import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './__testUtils__/sampleCatalog';

/** `@backstage/x` → the versions yarn.lock resolves it to. */
function lockedBackstageVersions(): Map<string, Set<string>> {
  const lock = fs.readFileSync(path.join(REPO_ROOT, 'yarn.lock'), 'utf8');
  const versions = new Map<string, Set<string>>();
  // an entry starts with its quoted descriptors, then `  version: x.y.z`
  const entry = /^"(@backstage\/[^@"]+)@[^\n]*\n {2}version: ([^\n]+)$/gm;
  for (const [, name, version] of lock.matchAll(entry)) {
    const set = versions.get(name) ?? new Set<string>();
    set.add(version.trim());
    versions.set(name, set);
  }
  return versions;
}

describe('Backstage versions', () => {
  const versions = lockedBackstageVersions();

  it('reads the lockfile', () => {
    expect(versions.get('@backstage/backend-plugin-api')?.size).toBe(1);
    expect(versions.get('@backstage/backend-defaults')?.size).toBe(1);
    expect(versions.size).toBeGreaterThan(50);
  });

  it('keeps one version of every @backstage package', () => {
    const duplicated = [...versions]
      .filter(([, set]) => set.size > 1)
      .map(([name, set]) => `${name}: ${[...set].join(', ')}`);
    expect(duplicated).toEqual([]);
  });

  it('records a release in backstage.json', () => {
    const { version } = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'backstage.json'), 'utf8'),
    );
    expect(version).toMatch(/^1\.\d+\.\d+$/);
  });
});
