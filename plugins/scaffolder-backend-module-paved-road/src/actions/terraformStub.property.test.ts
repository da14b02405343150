import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { hasControlCharacters } from '@internal/paved-road-common';
import { parse as parseHcl } from '@cdktf/hcl2json';
import {
  createMockDirectory,
  MockDirectoryContent,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readPavedRoadConfig } from '../config';
import { moduleBlockName } from '../terraform/stub';
import { createTerraformStubAction } from './terraformStub';

/** The action as the module creates it from this config. */
function stubAction(data: JsonObject) {
  return createTerraformStubAction({
    terraform: readPavedRoadConfig(new ConfigReader(data)).terraform,
  });
}
import { evaluatedString, listTree } from '../__testUtils__/hcl2json';

const modules = {
  'postgres-database': {
    source: 'git::https://github.com/acme/tf-modules.git//postgres?ref=v1.2.0',
  },
  's3-bucket': { source: 'acme/s3-bucket/aws', version: '~> 3.0' },
};

const action = stubAction({
  pavedRoad: { terraform: { modules, requiredVersion: '>= 1.6.0' } },
});

const mockDir = createMockDirectory();
const root = mockDir.path;
const workspacePath = mockDir.resolve('workspace');
const outsidePath = mockDir.resolve('outside');
const initialContent: MockDirectoryContent = {
  workspace: {
    'README.md': 'hello',
    escape: ({ symlink }) => symlink(outsidePath),
    self: ({ symlink }) => symlink('.'),
    loop: ({ symlink }) => symlink('loop'),
    pending: ({ symlink }) => symlink('not-yet'),
  },
  outside: { 'keep.txt': 'outside' },
};

// Pieces that mean something to HCL, YAML, the scaffolder's templating or a path.
const metaPiece = fc.constantFrom(
  '"',
  '\\',
  '${',
  '%{',
  '$${',
  '%%{',
  '}',
  '{',
  '$',
  '%',
  '\n',
  '\r',
  '\t',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u0000',
  '\u202e',
  '\u200d',
  '😀',
  '👩‍👩‍👧',
  'é',
  '${{ parameters.name }}',
  '${{ }}',
  ': ',
  '- ',
  '# ',
  '&a ',
  '*a',
  '---',
  "'",
  '`',
  '../',
  '/',
  ' ',
  'a',
  'Z',
  '0',
  '-',
  '_',
);
// What HCL cannot read back unchanged: not NFC, a lone surrogate.
const badPiece = fc.constantFrom('e\u0301', '\u212b', '\ud800', '\udfff');
const metaString = fc
  .array(
    fc.oneof(
      { weight: 20, arbitrary: metaPiece },
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      { weight: 1, arbitrary: badPiece },
    ),
    { maxLength: 10 },
  )
  .map(pieces => pieces.join(''));
const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const identifier = fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/);

const mixedInput = fc.record(
  {
    module: fc.oneof(
      { weight: 20, arbitrary: fc.constantFrom(...Object.keys(modules)) },
      { weight: 1, arbitrary: metaString },
      { weight: 1, arbitrary: nonString },
    ),
    name: fc.oneof(
      { weight: 20, arbitrary: label },
      { weight: 1, arbitrary: metaString },
      { weight: 1, arbitrary: nonString },
    ),
    costCenter: fc.oneof(
      { weight: 20, arbitrary: metaString },
      { weight: 1, arbitrary: nonString },
    ),
    env: fc.oneof(
      { weight: 16, arbitrary: fc.constantFrom('dev', 'staging', 'prod') },
      { weight: 1, arbitrary: metaString },
      { weight: 1, arbitrary: nonString },
    ),
    variables: fc.oneof(
      {
        weight: 20,
        arbitrary: fc.dictionary(
          fc.oneof(
            { weight: 40, arbitrary: identifier },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                'name',
                'cost_center',
                'env',
                'count',
                'source',
                '__proto__',
                'a b',
                '${x}',
                '1a',
                'é',
              ),
            },
            { weight: 1, arbitrary: metaString },
          ),
          fc.oneof(
            { weight: 12, arbitrary: metaString },
            { weight: 4, arbitrary: fc.double() },
            { weight: 4, arbitrary: fc.integer() },
            { weight: 4, arbitrary: fc.boolean() },
            { weight: 1, arbitrary: nonString },
          ),
          { maxKeys: 5 },
        ),
      },
      { weight: 1, arbitrary: nonString },
    ),
    outputDir: fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(
          'infra',
          'terraform/app',
          '.',
          './infra',
          'self/infra',
          'escape/..',
        ),
      },
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          'escape',
          'escape/sub',
          'loop',
          'pending',
          'README.md',
          'README.md/x',
          '../outside',
          '..',
          'infra/../../outside',
          '/',
          '',
          'infra\0',
          outsidePath,
          root,
          path.join(workspacePath, 'infra'),
        ),
      },
      {
        weight: 2,
        arbitrary: fc
          .array(
            fc.constantFrom(
              '..',
              '.',
              'a',
              'escape',
              'self',
              'infra',
              '',
              '$x',
            ),
            { minLength: 1, maxLength: 4 },
          )
          .map(parts => parts.join('/')),
      },
      { weight: 1, arbitrary: metaString },
      { weight: 1, arbitrary: nonString },
    ),
  },
  { requiredKeys: ['module', 'name', 'costCenter'] },
);

/** Inputs the action must accept: HCL metacharacters only where a value is free text. */
const readableString = (min: number) =>
  fc
    .array(fc.oneof(metaPiece, fc.string({ unit: 'grapheme', maxLength: 4 })), {
      minLength: min,
      maxLength: 10,
    })
    .map(pieces => pieces.join(''))
    .filter(
      value =>
        value.length >= min &&
        value.length <= 128 &&
        !/\p{Cs}/u.test(value) &&
        value.normalize('NFC') === value &&
        // tabs and line breaks are written escaped; NUL and other controls are refused
        !hasControlCharacters(value, { multiline: true }),
    );
const validInput = fc.record(
  {
    module: fc.constantFrom(...Object.keys(modules)),
    name: label,
    costCenter: readableString(1),
    env: label,
    variables: fc.dictionary(
      identifier.filter(
        key =>
          ![
            'name',
            'cost_center',
            'env',
            'count',
            'source',
            'version',
            'providers',
            'depends_on',
            'for_each',
            'lifecycle',
          ].includes(key),
      ),
      fc.oneof(
        readableString(0),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
      ),
      { maxKeys: 5 },
    ),
    outputDir: fc.constantFrom('infra', 'terraform/app', '.', 'self/infra'),
  },
  { requiredKeys: ['module', 'name', 'costCenter'] },
);

type Outcome = 'written' | 'refused';

let initialTree: string[];

/**
 * Runs the action in a workspace inside a temporary root and checks the invariant:
 * either an InputError naming a field and nothing written anywhere, or exactly the
 * reported files written inside the workspace, each parsing back to the input values.
 */
async function runAndCheck(input: JsonObject): Promise<Outcome> {
  // Every run starts from the initial content: a refused run must leave it as it was,
  // and a run that wrote is cleaned up below.
  const before = initialTree;
  const ctx = createMockActionContext({ input, workspacePath });
  let error: unknown;
  try {
    await action.handler(ctx as any);
  } catch (e) {
    error = e;
  }
  const after = await listTree(root);

  if (error !== undefined) {
    if (!(error instanceof InputError)) {
      throw error;
    }
    expect(error.message).toMatch(
      /^Invalid input: (field '(module|name|costCenter|env|variables|outputDir)\b|unknown field)/,
    );
    expect(after).toEqual(before);
    return 'refused';
  }

  const files: string[] = (ctx.output as jest.Mock).mock.calls.find(
    ([name]) => name === 'files',
  )![1];
  expect(files.map(file => path.basename(file))).toEqual([
    'main.tf',
    'variables.tf',
    'versions.tf',
  ]);

  // Nothing new outside the workspace, and no new files but the reported ones.
  const added = after.filter(entry => !before.includes(entry));
  for (const entry of added) {
    expect(entry.startsWith('workspace/')).toBe(true);
  }
  const realFiles = await Promise.all(
    files.map(async file => {
      const real = await fs.realpath(path.join(workspacePath, file));
      expect(path.relative(workspacePath, real).startsWith('..')).toBe(false);
      return path.relative(root, real).split(path.sep).join('/');
    }),
  );
  const addedFiles = [];
  for (const entry of added) {
    if ((await fs.lstat(path.join(root, entry))).isFile()) {
      addedFiles.push(entry);
    }
  }
  expect(addedFiles.sort()).toEqual([...realFiles].sort());

  const [main, variables, versions] = await Promise.all(
    files.map(async file =>
      parseHcl(
        path.basename(file),
        await fs.readFile(path.join(workspacePath, file), 'utf8'),
      ),
    ),
  );

  const moduleConfig = modules[input.module as keyof typeof modules];
  const extra = (input.variables ?? {}) as Record<string, unknown>;
  expect(Object.keys(main)).toEqual(['module']);
  expect(Object.keys(main.module)).toEqual([
    moduleBlockName(input.name as string),
  ]);
  const [body] = Object.values<any[]>(main.module)[0];
  expect(Object.keys(body).sort()).toEqual(
    [
      ...Object.keys(moduleConfig),
      'name',
      'cost_center',
      'env',
      ...Object.keys(extra),
    ].sort(),
  );
  expect(evaluatedString(body.source)).toBe(moduleConfig.source);
  if ('version' in moduleConfig) {
    expect(evaluatedString(body.version)).toBe(moduleConfig.version);
  }
  expect(evaluatedString(body.name)).toBe(input.name);
  expect(evaluatedString(body.cost_center)).toBe(input.costCenter);
  expect(body.env).toBe('${var.env}');
  for (const [key, value] of Object.entries(extra)) {
    if (typeof value === 'string') {
      expect(evaluatedString(body[key])).toBe(value);
    } else {
      // `===`, as Terraform numbers have no negative zero.
      expect(body[key] === value).toBe(true);
    }
  }

  const [envVariable] = variables.variable.env;
  if (input.env === undefined) {
    expect(envVariable).not.toHaveProperty('default');
  } else {
    expect(evaluatedString(envVariable.default)).toBe(input.env);
  }
  expect(versions).toEqual({ terraform: [{ required_version: '>= 1.6.0' }] });

  mockDir.setContent(initialContent);
  return 'written';
}

// A thousand generated runs: seconds on a quiet machine, more when CI runs every suite
// in parallel on two cores.
jest.setTimeout(60_000);

describe('terraform:stub:create properties', () => {
  beforeEach(async () => {
    mockDir.setContent(initialContent);
    initialTree = await listTree(root);
  });

  it('either refuses with an InputError and writes nothing, or writes files that read back as the input', async () => {
    const outcomes: Record<Outcome, number> = { written: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(mixedInput, async input => {
        outcomes[await runAndCheck(input)] += 1;
      }),
      { numRuns: 1000 },
    );
    // Both sides of the property were exercised.
    expect(outcomes.written).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  }, 60_000);

  it('accepts every valid input, whatever characters its free-text values hold', async () => {
    await fc.assert(
      fc.asyncProperty(validInput, async input => {
        expect(await runAndCheck(input)).toBe('written');
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
