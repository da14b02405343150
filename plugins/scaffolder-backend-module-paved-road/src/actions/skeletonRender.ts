import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { parseActionInput, text, Zod } from '../input';
import { SkeletonRenderer } from '../skeletons/SkeletonRenderer';
import { assertRenderedValues } from '../skeletons/unrendered';
import { examples } from './skeletonRender.examples';
import { withUserErrors } from './userErrors';

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
 * template's own relative URL may not reach. Nothing that still holds template text
 * (`${{`) is written: a value the scaffolder could not render, or output with an
 * expression the skeleton does not hold itself, fails the step naming it.
 */
export function createSkeletonRenderAction(options: {
  skeletons: SkeletonRenderer;
}) {
  return withUserErrors(
    createTemplateAction({
      id: 'portal:skeleton:render',
      description:
        "Renders a skeleton from the portal's skeletons/ into the workspace (nunjucks, like fetch:template).",
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input, {
          multiline: ['values'],
        });
        assertRenderedValues(input.values as JsonObject);
        await options.skeletons.render(ctx, {
          skeleton: input.skeleton,
          values: input.values as JsonObject,
          targetPath: input.targetPath,
        });
      },
    }),
  );
}
