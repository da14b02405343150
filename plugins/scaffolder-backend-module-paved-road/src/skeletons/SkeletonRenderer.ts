import fs from 'node:fs';
import path from 'node:path';
import {
  resolveSafeChildPath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { SkeletonLocation } from '../config';
import { fieldError } from '../input';
import { moveIntoWorkspace } from '../workspace/workspace';
import { assertRenderedOutput } from './unrendered';

type FetchTemplate = ReturnType<typeof createFetchTemplateAction>;

/** What of a step's context rendering uses: everything but its own input and outputs. */
export type RenderContext = Omit<ActionContext<JsonObject>, 'input' | 'output'>;

/**
 * Renders the portal's skeletons (`pavedRoad.skeletons.location`) into a workspace,
 * exactly as `fetch:template` renders a template's own folder: Backstage offers its
 * sandboxed nunjucks only through that action, so it is used here as a library.
 */
export class SkeletonRenderer {
  static create(options: {
    location: SkeletonLocation;
    reader: UrlReaderService;
    integrations: ScmIntegrations;
  }): SkeletonRenderer {
    return new SkeletonRenderer(
      options.location,
      createFetchTemplateAction({
        reader: options.reader,
        integrations: options.integrations,
      }),
    );
  }

  private constructor(
    private readonly location: SkeletonLocation,
    private readonly fetchTemplate: FetchTemplate,
  ) {}

  /** The skeletons' directory on the portal host, when they are read from one. */
  get directory(): string | undefined {
    return this.location.kind === 'dir' ? this.location.dir : undefined;
  }

  /** The same renderer on the skeletons in `dir` (an older version, read from git). */
  at(dir: string): SkeletonRenderer {
    return new SkeletonRenderer({ kind: 'dir', dir }, this.fetchTemplate);
  }

  /**
   * Renders `skeleton` with `values` into `targetPath` (default: the workspace). It
   * renders beside the workspace first and refuses output that still holds template
   * text; then moves the files in one by one, so a step interrupted by a restart leaves
   * no half-written file and, run again, adds what is missing.
   */
  async render(
    ctx: RenderContext,
    request: { skeleton: string; values: JsonObject; targetPath?: string },
  ): Promise<void> {
    const baseUrl = this.baseUrl(request.skeleton);
    const targetPath = request.targetPath ?? '.';
    let target: string;
    try {
      target = resolveSafeChildPath(ctx.workspacePath, targetPath);
    } catch {
      throw fieldError('targetPath', `'${targetPath}' leaves the workspace`);
    }
    const scratch = await fs.promises.mkdtemp(`${ctx.workspacePath}_render-`);
    try {
      const output = path.join(scratch, 'output');
      await fs.promises.mkdir(output);
      const fetched: string[] = [];
      await this.fetchTemplate.handler({
        ...ctx,
        workspacePath: output,
        createTemporaryDirectory: async () => {
          const dir = await fs.promises.mkdtemp(path.join(scratch, 'source-'));
          fetched.push(dir);
          return dir;
        },
        templateInfo: { entityRef: '', ...ctx.templateInfo, baseUrl },
        input: { url: `./${request.skeleton}`, values: request.values },
        // fetch:template has no outputs
        output: () => {},
      });
      await assertRenderedOutput({
        skeleton: request.skeleton,
        // fetch:template reads the skeleton into <its temporary directory>/template
        sourceDir: path.join(fetched[0], 'template'),
        outputDir: output,
      });
      await fs.promises.mkdir(target, { recursive: true });
      await moveIntoWorkspace(output, target);
    } finally {
      await fs.promises.rm(scratch, { recursive: true, force: true });
    }
  }

  private baseUrl(skeleton: string): string {
    const { location } = this;
    if (location.kind === 'url') {
      return location.url;
    }
    const dir = path.join(location.dir, skeleton);
    if (!fs.existsSync(dir)) {
      const known = fs.existsSync(location.dir)
        ? fs.readdirSync(location.dir).join(', ')
        : `none: ${location.dir} does not exist (pavedRoad.skeletons.location)`;
      throw fieldError('skeleton', `no skeleton '${skeleton}'; known: ${known}`);
    }
    // fetch:template resolves relative URLs from the directory of its base file
    return `file://${path.join(location.dir, 'skeletons.yaml')}`;
  }
}
