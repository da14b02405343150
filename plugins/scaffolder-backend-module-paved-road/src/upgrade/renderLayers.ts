import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
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
 * Renders the skeleton `layers` with `values` into `outDir` (which must not exist) with
 * the renderer `portal:skeleton:render` uses, and reads what they wrote. The layers are
 * copied together and rendered once (setting the renderer up costs more than the
 * files); a file in two layers is the first one's, as rendering them in turn keeps it.
 */
export async function renderLayers(options: {
  renderer: SkeletonRenderer;
  ctx: RenderContext;
  layers: string[];
  values: JsonObject;
  outDir: string;
}): Promise<FileSet> {
  const { renderer, ctx, layers, values, outDir } = options;
  const source = renderer.directory;
  if (!source) {
    throw new Error('Rendering layers needs the skeletons in a directory');
  }
  await fs.mkdir(outDir);
  const combined = await fs.mkdtemp(`${outDir}-skeletons-`);
  try {
    for (const layer of layers) {
      const dir = path.join(source, layer);
      if (!(await fs.stat(dir).catch(() => undefined))?.isDirectory()) {
        throw new NotFoundError(
          `The portal has no skeleton '${layer}' any more, which the service was made with`,
        );
      }
      await fs.cp(dir, path.join(combined, 'layers'), {
        recursive: true,
        force: false,
        verbatimSymlinks: true,
      });
    }
    await renderer
      .at(combined)
      .render(
        { ...ctx, workspacePath: outDir },
        { skeleton: 'layers', values },
      );
  } catch (error) {
    // fetch:template refuses a file name that leaves its output directory
    if (error instanceof NotAllowedError) {
      throw new InputError(
        `Rendering the skeletons ${layers.join(
          ', ',
        )} with the recorded values would write outside the repository (${
          error.message
        }); check the values in ${ANSWERS_FILE}`,
      );
    }
    throw error;
  } finally {
    await fs.rm(combined, { recursive: true, force: true });
  }
  return readTree(outDir);
}
