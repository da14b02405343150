import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { parseActionInput, text, Zod } from '../input';
import { assertRenderedValues } from '../skeletons/unrendered';
import {
  ANSWERS_FILE,
  ANSWERS_LIMITS,
  parseAnswers,
  stringifyAnswers,
  VERSION_VALUE,
} from '../upgrade/answers';
import { PortalSources } from '../upgrade/portalSources';
import {
  resolveWorkspacePath,
  writeWorkspaceFiles,
} from '../workspace/workspace';
import { examples } from './templateRecord.examples';
import { withUserErrors } from './userErrors';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

const inputSchema = {
  template: (z: Zod) =>
    text(z, { max: 63 })
      .regex(NAME, 'must be the name of a template in templates/')
      .describe('The template that made the service, e.g. http-service'),
  version: (z: Zod) =>
    z
      .union(
        [
          z.number().int().min(1),
          // as the template's annotation holds it
          z
            .string()
            .regex(/^[1-9]\d{0,8}$/)
            .transform(Number),
        ],
        { errorMap: () => ({ message: 'must be a whole number from 1' }) },
      )
      .describe(
        "The template's version (its paved-road.io/template-version annotation)",
      ),
  skeletons: (z: Zod) =>
    z
      .array(
        text(z, { max: 63 }).regex(
          NAME,
          'must be the name of a folder in skeletons/',
        ),
      )
      .min(1, 'must name a skeleton')
      .max(ANSWERS_LIMITS.skeletons)
      .describe('The skeleton layers the template rendered, in order'),
  values: (z: Zod) =>
    z
      .record(z.unknown(), { invalid_type_error: 'must be an object' })
      .describe('The values the skeletons were rendered with (no secrets)'),
};

const outputSchema = {
  path: (z: Zod) => z.string().describe(`Always ${ANSWERS_FILE}`),
  portalRevision: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        "The portal's last commit of skeletons/ and templates/, when it runs from its git repository",
      ),
};

/**
 * `portal:template:record`: writes `.paved-road/answers.yaml` into the workspace, how
 * the service was made (template, version, the portal's revision of its skeletons, the
 * layers and the values), which `portal:template:upgrade` reads to render the version it
 * was made from. Built as data and held to the limits the upgrade reads it with.
 */
export function createTemplateRecordAction(options: {
  /** The portal's git repository; undefined when the portal runs without its history. */
  sources?: PortalSources;
}) {
  return withUserErrors(
    createTemplateAction({
      id: 'portal:template:record',
      description: `Records how the service was made in ${ANSWERS_FILE} (template, version, the portal's revision, skeleton layers, values), for later template upgrades.`,
      examples,
      supportsDryRun: true,
      schema: { input: inputSchema, output: outputSchema },
      async handler(ctx) {
        const input = parseActionInput(inputSchema, ctx.input, {
          multiline: ['values'],
        });
        assertRenderedValues(input.values as JsonObject);
        const portalRevision = await options.sources?.revision();
        if (!portalRevision) {
          ctx.logger.warn(
            'The portal runs without the git history of its skeletons: the service records no portal revision, and its template upgrades will be refused',
          );
        }
        const content = stringifyAnswers({
          template: input.template,
          version: input.version,
          portalRevision,
          skeletons: input.skeletons,
          // the version is recorded once, above; an upgrade sets the value it renders
          values: Object.fromEntries(
            Object.entries(input.values as JsonObject).filter(
              ([key]) => key !== VERSION_VALUE,
            ),
          ),
        });
        // the limits an upgrade reads it with, checked before the service depends on them
        parseAnswers(content);
        const file = resolveWorkspacePath(
          ctx.workspacePath,
          ANSWERS_FILE,
          'path',
        );
        await writeWorkspaceFiles(ctx.workspacePath, [{ path: file, content }]);
        ctx.output('path', ANSWERS_FILE);
        if (portalRevision) {
          ctx.output('portalRevision', portalRevision);
        }
      },
    }),
  );
}
