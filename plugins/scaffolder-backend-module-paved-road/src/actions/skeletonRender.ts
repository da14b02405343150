import fs from 'node:fs';
import path from 'node:path';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseInput, text, Zod } from './util/input';
import { examples } from './skeletonRender.examples';

const LOCATION_KEY = 'pavedRoad.skeletons.location';

/**
 * Where skeletons live: a directory on the portal host (the repository's `skeletons/`)
 * or a URL the portal can read (the same folder on GitHub).
 */
type SkeletonLocation =
  | { kind: 'dir'; dir: string }
  | { kind: 'url'; url: string };

function readLocation(config: Config): SkeletonLocation {
  const location = config.getOptionalString(LOCATION_KEY) ?? '../../skeletons';
  if (/^https?:\/\//.test(location)) {
    return { kind: 'url', url: location.replace(/\/?$/, '/') };
  }
  return { kind: 'dir', dir: path.resolve(location) };
}

const inputSchema = {
  skeleton: (z: Zod) =>
    text(z, { max: 64 })
      .regex(
        /^[a-z0-9][a-z0-9-]*$/,
        'must be the name of a folder in skeletons/ (lowercase letters, digits, dashes)',
      )
      .describe('The skeleton to render, e.g. service or node-http'),
  values: (z: Zod) =>
    z
      .record(z.unknown(), { invalid_type_error: 'must be an object' })
      .default({})
      .describe('Values the skeleton reads as ${{ values.x }}'),
  targetPath: (z: Zod) =>
    text(z, { max: 512 })
      .optional()
      .describe('Where to render in the workspace (default: its root)'),
};

/**
 * `portal:skeleton:render`: renders one of the portal's skeletons into the workspace,
 * exactly as `fetch:template` does. Templates name a skeleton instead of a path: the
 * skeletons are shared by all golden paths and live in one place, `skeletons/`, which a
 * template's own relative URL may not reach.
 */
export function createSkeletonRenderAction(options: {
  config: Config;
  reader: UrlReaderService;
}) {
  const location = readLocation(options.config);
  const fetchTemplate = createFetchTemplateAction({
    reader: options.reader,
    integrations: ScmIntegrations.fromConfig(options.config),
  });
  return createTemplateAction({
    id: 'portal:skeleton:render',
    description:
      "Renders a skeleton from the portal's skeletons/ into the workspace (nunjucks, like fetch:template).",
    examples,
    supportsDryRun: true,
    schema: { input: inputSchema },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      let baseUrl: string;
      if (location.kind === 'dir') {
        const dir = path.join(location.dir, input.skeleton);
        if (!fs.existsSync(dir)) {
          const known = fs.existsSync(location.dir)
            ? fs.readdirSync(location.dir).join(', ')
            : `none: ${location.dir} does not exist (${LOCATION_KEY})`;
          throw new InputError(
            `Invalid input 'skeleton': no skeleton '${input.skeleton}'; known: ${known}`,
          );
        }
        // fetch:template resolves relative URLs from the directory of its base file
        baseUrl = `file://${path.join(location.dir, 'skeletons.yaml')}`;
      } else {
        baseUrl = location.url;
      }
      await fetchTemplate.handler({
        ...ctx,
        templateInfo: { ...ctx.templateInfo, baseUrl },
        input: {
          url: `./${input.skeleton}`,
          values: input.values,
          targetPath: input.targetPath,
        },
      } as any);
    },
  });
}
