import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  UrlReaderService,
  UrlReaderServiceReadTreeResponse,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import fc from 'fast-check';
import { parse } from 'yaml';
import { readPavedRoadConfig } from '../config';
import { SkeletonRenderer } from '../skeletons/SkeletonRenderer';
import { createSkeletonRenderAction } from './skeletonRender';
import { examples } from './skeletonRender.examples';
import {
  listFiles,
  portalContext,
  writeFiles,
} from '../__testUtils__/portalContext';

const tinySkeleton = {
  'README.md': '# ${{ values.name }}\n\n${{ values.description }}\n',
  'src/nested/deeper/owner.txt':
    '${{ values.name }} is owned by ${{ values.owner }}\n',
  '${{ values.name }}.txt': 'named after the service\n',
};

const values = {
  name: 'payments-api',
  description: 'Accepts payments',
  owner: 'group:default/payments-team',
};

/** The renderer the module builds from this config. */
function skeletonRenderer(config: ConfigReader, reader: UrlReaderService) {
  return SkeletonRenderer.create({
    location: readPavedRoadConfig(config).skeletons,
    reader,
    integrations: ScmIntegrations.fromConfig(config),
  });
}

describe('portal:skeleton:render', () => {
  let root: string;
  let skeletonsDir: string;
  let workspacePath: string;
  let temporaryRoot: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'skeleton-render-'));
    skeletonsDir = path.join(root, 'skeletons');
    workspacePath = path.join(root, 'workspace');
    temporaryRoot = path.join(root, 'tmp');
    writeFiles(path.join(skeletonsDir, 'tiny'), tinySkeleton);
    writeFiles(path.join(skeletonsDir, 'other'), { 'other.txt': 'other\n' });
    // a would-be skeleton outside skeletons/, for the traversal attempts
    writeFiles(path.join(root, 'outside'), {
      'pwned.txt': '${{ values.name }}',
    });
    fs.mkdirSync(workspacePath);
    fs.mkdirSync(temporaryRoot);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function render(
    input: unknown,
    options: { location?: string; isDryRun?: boolean } = {},
  ) {
    const reader = mockServices.urlReader.mock();
    const action = createSkeletonRenderAction({
      skeletons: skeletonRenderer(
        new ConfigReader({
          pavedRoad: {
            skeletons: { location: options.location ?? skeletonsDir },
          },
        }),
        reader,
      ),
    });
    const { ctx } = portalContext({
      input,
      workspacePath,
      temporaryRoot,
      isDryRun: options.isDryRun,
    });
    const error = await action.handler(ctx).then(
      () => undefined,
      e => e,
    );
    return { error, reader };
  }

  const read = (relative: string) =>
    fs.readFileSync(path.join(workspacePath, relative), 'utf8');

  it('renders the skeleton into the workspace with the values substituted', async () => {
    const { error, reader } = await render({ skeleton: 'tiny', values });

    expect(error).toBeUndefined();
    expect(listFiles(workspacePath)).toEqual([
      'README.md',
      'payments-api.txt',
      'src',
      'src/nested',
      'src/nested/deeper',
      'src/nested/deeper/owner.txt',
    ]);
    expect(read('README.md')).toBe('# payments-api\n\nAccepts payments\n');
    expect(read('src/nested/deeper/owner.txt')).toBe(
      'payments-api is owned by group:default/payments-team\n',
    );
    expect(read('payments-api.txt')).toBe('named after the service\n');
    // a directory on the portal host is read from disk, not through the reader
    expect(reader.readTree).not.toHaveBeenCalled();
    // the skeleton itself is untouched
    expect(listFiles(path.join(skeletonsDir, 'tiny'))).toContain(
      '${{ values.name }}.txt',
    );
  });

  it('renders into targetPath', async () => {
    const { error } = await render({
      skeleton: 'other',
      values,
      targetPath: 'service',
    });
    expect(error).toBeUndefined();
    expect(listFiles(workspacePath)).toEqual(['service', 'service/other.txt']);
  });

  it('renders in a dry run too, into the dry-run workspace', async () => {
    const { error } = await render(
      { skeleton: 'tiny', values },
      { isDryRun: true },
    );
    expect(error).toBeUndefined();
    expect(read('README.md')).toBe('# payments-api\n\nAccepts payments\n');
  });

  it('refuses an unknown skeleton, listing the known ones', async () => {
    const { error } = await render({ skeleton: 'service', values });

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^Invalid input: field 'skeleton': no skeleton 'service'; known: (other, tiny|tiny, other)$/,
    );
    expect(listFiles(workspacePath)).toEqual([]);
  });

  it('says where it looked when the skeletons directory is missing', async () => {
    const missing = path.join(root, 'no-skeletons');
    const { error } = await render(
      { skeleton: 'tiny', values },
      { location: missing },
    );

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(`${missing} does not exist`);
    expect(error.message).toContain('pavedRoad.skeletons.location');
  });

  it.each([
    '../outside',
    '../../outside',
    'tiny/../../outside',
    'tiny/src',
    '/etc',
    '../skeletons/tiny',
    '..',
    '.',
    'Tiny',
    '-tiny',
    '',
  ])('refuses the skeleton %p and writes nothing', async skeleton => {
    const before = listFiles(root);

    const { error } = await render({ skeleton, values });

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("'skeleton'");
    expect(listFiles(root)).toEqual(before);
  });

  it.each([
    [{ values: 'name=x' }, "'values': must be an object"],
    [{ skeleton: 42 }, "'skeleton': must be a string"],
    [{ url: 'https://example.com/evil' }, "'url'"],
  ])('refuses %o, naming the field', async (patch, message) => {
    const { error } = await render({ skeleton: 'tiny', values, ...patch });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(message);
    expect(listFiles(workspacePath)).toEqual([]);
  });

  it('writes nothing outside the workspace for a targetPath that leaves it', async () => {
    const before = listFiles(root);

    const { error } = await render({
      skeleton: 'tiny',
      values,
      targetPath: '../escaped',
    });

    expect(error).toBeInstanceOf(Error);
    expect(listFiles(root)).toEqual(before);
  });

  it.each([
    [
      'ownerName',
      "${{ parameters.owner | parseEntityRef | pick('name') }}",
      "Invalid parameter 'owner': the template could not render '${{ parameters.owner | parseEntityRef | pick('name') }}' with it (for values.ownerName); check the value of 'owner'",
    ],
    [
      'githubOrg',
      'https://github.com/${{ (parameters.repoUrl | parseRepoUrl).owner }}',
      "Invalid parameter 'repoUrl': the template could not render '${{ (parameters.repoUrl | parseRepoUrl).owner }}' with it (for values.githubOrg); check the value of 'repoUrl'",
    ],
    [
      'description',
      'Says ${{ hello',
      "Invalid input: field 'values.description': holds the template expression '${{ hello', which a generated file may not contain",
    ],
  ])(
    'refuses a value %s that still holds template text, and writes nothing',
    async (key, value, message) => {
      const { error } = await render({
        skeleton: 'tiny',
        values: { ...values, [key]: value },
      });
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(message);
      expect(listFiles(workspacePath)).toEqual([]);
    },
  );

  it('looks into nested values too', async () => {
    const { error } = await render({
      skeleton: 'tiny',
      values: { ...values, links: [{ url: '${{ parameters.docs }}' }] },
    });
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('(for values.links.0.url)');
  });

  it('keeps the expressions a skeleton holds verbatim, and refuses any other in the output', async () => {
    writeFiles(path.join(skeletonsDir, 'workflow'), {
      'ci.yml':
        'run: echo {% raw %}${{ github.sha }}{% endraw %} ${{ values.name }}\n',
      // template text the skeleton itself produces: never rendered
      'broken.md': '${{ "${{" }} values.name }}\n',
    });

    const { error } = await render({ skeleton: 'workflow', values });

    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      "The skeleton 'workflow' rendered broken.md with the template expression '${{ values.name }}' still in it; a value the template passed was not rendered",
    );
    expect(listFiles(workspacePath)).toEqual([]);

    fs.rmSync(path.join(skeletonsDir, 'workflow', 'broken.md'));
    expect((await render({ skeleton: 'workflow', values })).error).toBe(
      undefined,
    );
    expect(read('ci.yml')).toBe('run: echo ${{ github.sha }} payments-api\n');
  });

  it('writes any printable description as given, or refuses it when it holds ${{', async () => {
    const piece = fc.oneof(
      fc.constantFrom('${{', '}}', '{%', '%}', '{{', '$', '{% raw %}', '"'),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(piece, { maxLength: 6 })
          .map(pieces => pieces.join(''))
          // eslint-disable-next-line no-control-regex
          .filter(text => !/[\u0000-\u001f\u007f]/.test(text)),
        async description => {
          fs.rmSync(workspacePath, { recursive: true, force: true });
          fs.mkdirSync(workspacePath);
          const { error } = await render({
            skeleton: 'tiny',
            values: { ...values, description },
          });
          const outcome = {
            refusedNamingIt:
              error instanceof InputError &&
              error.message.includes("'values.description'"),
            other: error instanceof InputError ? undefined : error?.message,
            readme: fs.existsSync(path.join(workspacePath, 'README.md'))
              ? read('README.md')
              : undefined,
          };
          expect(outcome).toEqual(
            description.includes('${{')
              ? { refusedNamingIt: true, other: undefined, readme: undefined }
              : {
                  refusedNamingIt: false,
                  other: undefined,
                  readme: `# payments-api\n\n${description}\n`,
                },
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('completes an interrupted render when run again, keeping what is there', async () => {
    // the first run got as far as one file before the backend stopped
    writeFiles(workspacePath, {
      'README.md': '# payments-api\n\nAccepts payments\n',
    });
    // and a file of an earlier step is never overwritten
    writeFiles(workspacePath, { 'payments-api.txt': 'from an earlier step\n' });

    const { error } = await render({ skeleton: 'tiny', values });

    expect(error).toBeUndefined();
    expect(read('src/nested/deeper/owner.txt')).toBe(
      'payments-api is owned by group:default/payments-team\n',
    );
    expect(read('payments-api.txt')).toBe('from an earlier step\n');
    // nothing is left beside the workspace
    expect(fs.readdirSync(root).sort()).toEqual(
      ['outside', 'skeletons', 'tmp', 'workspace'].sort(),
    );
  });

  it('reads a skeleton at a URL location through the UrlReader', async () => {
    const location = 'https://github.com/acme/portal/tree/main/skeletons';
    const reader = mockServices.urlReader.mock({
      readTree: async () =>
        ({
          etag: 'etag-1',
          files: async () => [],
          archive: async () => {
            throw new Error('not used');
          },
          dir: async (options?: { targetDir?: string }) => {
            writeFiles(options!.targetDir!, tinySkeleton);
            return options!.targetDir!;
          },
        } as UrlReaderServiceReadTreeResponse),
    });
    const action = createSkeletonRenderAction({
      skeletons: skeletonRenderer(
        new ConfigReader({ pavedRoad: { skeletons: { location } } }),
        reader,
      ),
    });
    const { ctx } = portalContext({
      input: { skeleton: 'tiny', values },
      workspacePath,
      temporaryRoot,
    });

    await action.handler(ctx);

    expect(reader.readTree).toHaveBeenCalledTimes(1);
    expect(reader.readTree).toHaveBeenCalledWith(
      `${location}/tiny`,
      expect.anything(),
    );
    expect(read('README.md')).toBe('# payments-api\n\nAccepts payments\n');
  });

  it("runs every documented example against the repository's skeletons", async () => {
    const repoSkeletons = path.resolve(__dirname, '../../../../skeletons');
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      const steps = parse(example.example).steps;
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        expect(step.action).toBe('portal:skeleton:render');
        const { error } = await render(step.input, {
          location: repoSkeletons,
        });
        expect(error).toBeUndefined();
      }
    }
    // the service skeleton carries the catalog file, named after the values
    const catalogInfo = parse(read('catalog-info.yaml'));
    expect(catalogInfo.kind).toBe('Component');
    expect(catalogInfo.metadata.name).toBe('payments-api');
    // the language layer and the kind layer land beside it
    expect(listFiles(workspacePath)).toEqual(
      expect.arrayContaining(['package.json', 'src/routes.ts']),
    );
  });
});
