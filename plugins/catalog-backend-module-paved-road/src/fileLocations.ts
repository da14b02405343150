import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@backstage/config';

// A glob's fixed part: everything before the first segment with a wildcard.
function globBase(target: string): string | undefined {
  const segments = target.split(/[\\/]/);
  const first = segments.findIndex(segment => /[*?[\]{}]/.test(segment));
  return first === -1 ? undefined : segments.slice(0, first).join(path.sep);
}

// Follows symbolic links where the path exists, so a link cannot lead out of a root.
function real(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

/**
 * Where the catalog may read `file` locations: under the local repositories directory
 * that golden paths publish to (`pavedRoad.publish.local.directory`, embedded defaults
 * only), and where the portal's own `catalog.locations` point (the folder of each, or
 * the fixed part of a glob). A folder that holds the backend itself, like the portal
 * repository's root for `../../catalog-info.yaml`, is never opened wholesale: only that
 * one file is.
 */
export class FileLocationPolicy {
  private constructor(
    private readonly roots: string[],
    private readonly files: Set<string>,
  ) {}

  static fromConfig(config: Config, cwd = process.cwd()): FileLocationPolicy {
    const roots: string[] = [];
    const files = new Set<string>();
    const portalDirs = [real(cwd)];
    const holdsPortal = (dir: string) =>
      portalDirs.some(portalDir => isInside(portalDir, dir));

    const localRepos = config.getOptionalString(
      'pavedRoad.publish.local.directory',
    );
    if (
      config.getOptionalString('pavedRoad.publish.target') === 'local' &&
      localRepos
    ) {
      roots.push(real(path.resolve(cwd, localRepos)));
    }
    for (const location of config.getOptionalConfigArray('catalog.locations') ??
      []) {
      if (location.getString('type') !== 'file') {
        continue;
      }
      const target = location.getString('target');
      const base = globBase(target);
      const dir = real(path.resolve(cwd, base ?? path.dirname(target)));
      if (!holdsPortal(dir)) {
        roots.push(dir);
      } else if (base === undefined) {
        files.add(real(path.resolve(cwd, target)));
      }
    }
    return new FileLocationPolicy(roots, files);
  }

  /** What is wrong with reading this file location; undefined when it is allowed. */
  problem(target: string): string | undefined {
    const file = real(target);
    if (this.files.has(file) || this.roots.some(root => isInside(file, root))) {
      return undefined;
    }
    // The message names the rule, not the folders: they are the portal host's business.
    return `File location '${target}' is refused: the catalog reads files only where the portal keeps the repositories golden paths create and its own catalog and templates`;
  }
}
