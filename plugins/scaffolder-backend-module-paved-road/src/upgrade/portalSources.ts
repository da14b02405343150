import fs from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '@backstage/errors';
import { parse } from 'yaml';
import { git } from '../git/git';
import { TEMPLATE_VERSION_ANNOTATION } from './answers';

/**
 * The portal's own git repository, where `skeletons/` and `templates/` are versioned:
 * the revision a service records when it is made, and the skeletons as they were at a
 * recorded revision (the base of an upgrade). The base is read from git history, not
 * from a stored copy: every version the platform team ever released is there already,
 * and nothing has to be kept in sync. A portal that runs without its history (an image
 * built without `.git`) cannot propose upgrades and says so.
 */
export class PortalSources {
  /**
   * The repository holding `skeletonsDir` (the renderer's directory on the portal host).
   * Undefined when it is in no git repository.
   */
  static async find(skeletonsDir: string): Promise<PortalSources | undefined> {
    let root: string;
    try {
      root = await git(skeletonsDir, ['rev-parse', '--show-toplevel']);
    } catch {
      return undefined;
    }
    const relative = path.relative(
      await fs.realpath(root),
      await fs.realpath(skeletonsDir),
    );
    return new PortalSources(root, relative.split(path.sep).join('/'));
  }

  private constructor(
    readonly root: string,
    /** `skeletons`, relative to the root, forward slashes. */
    private readonly skeletonsPath: string,
  ) {}

  /** The last commit that changed the skeletons or the templates. */
  async revision(): Promise<string> {
    const revision = await git(this.root, [
      'log',
      '-1',
      '--format=%H',
      'HEAD',
      '--',
      this.skeletonsPath,
      'templates',
    ]);
    return revision || git(this.root, ['rev-parse', 'HEAD']);
  }

  /**
   * The version of `templates/<template>/template.yaml` on the portal host now (its
   * `paved-road.io/template-version` annotation), or undefined when the template is
   * gone or has no version.
   */
  async currentVersion(template: string): Promise<number | undefined> {
    const file = path.join(this.root, 'templates', template, 'template.yaml');
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    const annotations = text
      ? (
          parse(text) as {
            metadata?: { annotations?: Record<string, unknown> };
          }
        )?.metadata?.annotations
      : undefined;
    const version = Number(annotations?.[TEMPLATE_VERSION_ANNOTATION]);
    return Number.isInteger(version) && version > 0 ? version : undefined;
  }

  /**
   * Writes the skeletons `layers` as they were at `revision` into `dest/<layer>/`,
   * through a temporary index: the portal's own index and working tree are not touched.
   */
  async extract(
    revision: string,
    layers: string[],
    dest: string,
  ): Promise<void> {
    const index = await fs.mkdtemp(path.join(dest, '.index-'));
    try {
      const env = { GIT_INDEX_FILE: path.join(index, 'index') };
      for (const layer of layers) {
        const tree = `${revision}:${this.skeletonsPath}/${layer}`;
        try {
          await git(this.root, ['read-tree', tree], { env });
        } catch {
          throw new NotFoundError(
            `The portal's git history has no skeleton '${layer}' at ${revision}: the revision recorded in the service's answers is not in ${this.root}`,
          );
        }
        await git(
          this.root,
          ['checkout-index', '--all', `--prefix=${path.join(dest, layer)}/`],
          { env },
        );
      }
    } finally {
      await fs.rm(index, { recursive: true, force: true });
    }
  }
}
