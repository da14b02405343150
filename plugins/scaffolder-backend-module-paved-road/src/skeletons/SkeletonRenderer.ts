import fs from 'node:fs';
import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { SkeletonLocation } from '../config';
import { fieldError } from '../input';

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

  /** Renders `skeleton` with `values` into `targetPath` (default: the workspace). */
  async render(
    ctx: RenderContext,
    request: { skeleton: string; values: JsonObject; targetPath?: string },
  ): Promise<void> {
    const { location } = this;
    let baseUrl: string;
    if (location.kind === 'dir') {
      const dir = path.join(location.dir, request.skeleton);
      if (!fs.existsSync(dir)) {
        const known = fs.existsSync(location.dir)
          ? fs.readdirSync(location.dir).join(', ')
          : `none: ${location.dir} does not exist (pavedRoad.skeletons.location)`;
        throw fieldError(
          'skeleton',
          `no skeleton '${request.skeleton}'; known: ${known}`,
        );
      }
      // fetch:template resolves relative URLs from the directory of its base file
      baseUrl = `file://${path.join(location.dir, 'skeletons.yaml')}`;
    } else {
      baseUrl = location.url;
    }
    await this.fetchTemplate.handler({
      ...ctx,
      templateInfo: { entityRef: '', ...ctx.templateInfo, baseUrl },
      input: {
        url: `./${request.skeleton}`,
        values: request.values,
        targetPath: request.targetPath,
      },
      // fetch:template has no outputs
      output: () => {},
    });
  }
}
