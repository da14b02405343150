import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, NotAllowedError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { RenderContext, SkeletonRenderer } from '../skeletons/SkeletonRenderer';
import { ANSWERS_FILE } from './answers';
import { FileSet } from './threeWayMerge';

/** Files a rendered skeleton may not write: the repository's and the portal's own. */
const RESERVED = [/^\.git(\/|$)/, new RegExp(`^${ANSWERS_FILE}$`)];

async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await fs.readdir(dir, {
    recursive: true,
    withFileTypes: true,
  });
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) {
      throw new InputError(
        `The skeleton rendered a symbolic link, ${path.relative(dir, full)}`,
      );
    }
    if (!entry.isFile()) {
      continue;
    }
    const relative = path.relative(dir, full).split(path.sep).join('/');
    if (RESERVED.some(pattern => pattern.test(relative))) {
      throw new InputError(
        `The skeleton rendered '${relative}', which only the portal writes`,
      );
    }
    files.set(relative, await fs.readFile(full, 'utf8'));
  }
  return files;
}

/**
 * Renders the skeleton `layers` in order with `values` into `outDir` (which must not
 * exist) with the renderer `portal:skeleton:render` uses, and reads what they wrote.
 */
export async function renderLayers(options: {
  renderer: SkeletonRenderer;
  ctx: RenderContext;
  layers: string[];
  values: JsonObject;
  outDir: string;
}): Promise<FileSet> {
  const { renderer, ctx, layers, values, outDir } = options;
  await fs.mkdir(outDir);
  for (const skeleton of layers) {
    try {
      await renderer.render(
        { ...ctx, workspacePath: outDir },
        { skeleton, values },
      );
    } catch (error) {
      // fetch:template refuses a file name that leaves its output directory
      if (error instanceof NotAllowedError) {
        throw new InputError(
          `Rendering skeleton '${skeleton}' with the recorded values would write outside the repository (${error.message}); check the values in ${ANSWERS_FILE}`,
        );
      }
      throw error;
    }
  }
  return readTree(outDir);
}
