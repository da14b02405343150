import fs from 'node:fs/promises';
import path from 'node:path';
import Ajv from 'ajv';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
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
import { examples } from './terraformStub.examples';
import { evaluatedString, listTree } from '../__testUtils__/hcl2json';

const configData = {
  pavedRoad: {
    terraform: {
      modules: {
        'postgres-database': {
          source:
            'git::https://github.com/acme/tf-modules.git//postgres?ref=v1.2.0',
          description: 'A PostgreSQL database',
        },
        's3-bucket': { source: 'acme/s3-bucket/aws', version: '~> 3.0' },
      },
      requiredVersion: '>= 1.6.0',
    },
  },
};

async function readTf(file: string) {
  return parseHcl(path.basename(file), await fs.readFile(file, 'utf8'));
}

describe('terraform:stub:create', () => {
  const mockDir = createMockDirectory();
  const workspacePath = mockDir.resolve('workspace');
  const outsidePath = mockDir.resolve('outside');
  const action = stubAction(configData);

  beforeEach(() => {
    mockDir.setContent({ workspace: {}, outside: {} });
  });

  async function run(input: JsonObject, isDryRun = false) {
    const ctx = {
      ...createMockActionContext({ input, workspacePath }),
      isDryRun,
    };
    await action.handler(ctx as any);
    return ctx;
  }

  /** Runs the action expecting an InputError and nothing written; returns its message. */
  async function refusal(input: JsonObject): Promise<string> {
    const before = await listTree(mockDir.path);
    const error = await run(input).then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect(await listTree(mockDir.path)).toEqual(before);
    return (error as InputError).message;
  }

  const baseInput = {
    module: 'postgres-database',
    name: 'payments-api',
    costCenter: 'CC-1001',
  };

  it('writes main.tf, variables.tf and versions.tf and sets the outputs', async () => {
    const ctx = await run({ ...baseInput, env: 'prod' });

    expect(ctx.output).toHaveBeenCalledWith('files', [
      'infra/main.tf',
      'infra/variables.tf',
      'infra/versions.tf',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('module', 'postgres-database');
    expect(await listTree(workspacePath)).toEqual([
      'infra',
      'infra/main.tf',
      'infra/variables.tf',
      'infra/versions.tf',
    ]);
    expect(
      await fs.readFile(path.join(workspacePath, 'infra/main.tf'), 'utf8'),
    ).toBe(
      [
        'module "payments_api" {',
        '  source      = "git::https://github.com/acme/tf-modules.git//postgres?ref=v1.2.0"',
        '  name        = "payments-api"',
        '  cost_center = "CC-1001"',
        '  env         = var.env',
        '}',
        '',
      ].join('\n'),
    );

    const main = await readTf(path.join(workspacePath, 'infra/main.tf'));
    expect(main).toEqual({
      module: {
        payments_api: [
          {
            source:
              'git::https://github.com/acme/tf-modules.git//postgres?ref=v1.2.0',
            name: 'payments-api',
            cost_center: 'CC-1001',
            env: '${var.env}',
          },
        ],
      },
    });
    const variables = await readTf(
      path.join(workspacePath, 'infra/variables.tf'),
    );
    expect(variables).toEqual({
      variable: {
        env: [
          {
            // hcl2json writes expressions (here a type keyword) as `${...}`.
            type: '${string}',
            description: 'Environment this stack is deployed to',
            default: 'prod',
          },
        ],
      },
    });
    const versions = await readTf(
      path.join(workspacePath, 'infra/versions.tf'),
    );
    expect(versions).toEqual({
      terraform: [{ required_version: '>= 1.6.0' }],
    });
  });

  it('passes version, extra variables and hostile strings through as literals', async () => {
    const costCenter =
      'CC "1" \\ ${var.x} %{ if 1 }\n\r\t\u2028\u2029 😀 ${{ x }}';
    const variables = {
      prefix: '$${already}',
      retention_days: 90,
      ratio: -0.25,
      versioning: true,
      public: false,
      'dash-name': '',
    };
    await run({
      module: 's3-bucket',
      name: '3scale-proxy',
      costCenter,
      variables,
      outputDir: 'terraform/storage',
    });

    const main = await readTf(
      path.join(workspacePath, 'terraform/storage/main.tf'),
    );
    const [body] = main.module.svc_3scale_proxy;
    expect(Object.keys(body).sort()).toEqual(
      [
        'source',
        'version',
        'name',
        'cost_center',
        'env',
        ...Object.keys(variables),
      ].sort(),
    );
    expect(body.source).toBe('acme/s3-bucket/aws');
    expect(body.version).toBe('~> 3.0');
    expect(body.name).toBe('3scale-proxy');
    expect(evaluatedString(body.cost_center)).toBe(costCenter);
    expect(evaluatedString(body.prefix)).toBe('$${already}');
    expect(evaluatedString(body['dash-name'])).toBe('');
    expect(body.retention_days).toBe(90);
    expect(body.ratio).toBe(-0.25);
    expect(body.versioning).toBe(true);
    expect(body.public).toBe(false);

    // Without env, the variable has no default and Terraform asks for it.
    const variablesTf = await readTf(
      path.join(workspacePath, 'terraform/storage/variables.tf'),
    );
    expect(variablesTf.variable.env[0]).not.toHaveProperty('default');
  });

  it('names the module block as Terraform wants', () => {
    expect(moduleBlockName('payments-api')).toBe('payments_api');
    expect(moduleBlockName('3scale')).toBe('svc_3scale');
    expect(moduleBlockName('a')).toBe('a');
  });

  it('defaults required_version when config has none', async () => {
    const bare = stubAction({
      pavedRoad: {
        terraform: { modules: configData.pavedRoad.terraform.modules },
      },
    });
    await bare.handler(
      createMockActionContext({ input: baseInput, workspacePath }) as any,
    );
    const versions = await readTf(
      path.join(workspacePath, 'infra/versions.tf'),
    );
    expect(versions.terraform[0].required_version).toBe('>= 1.5.0');
  });

  it.each([
    [
      'a module not in the allow-list',
      { module: 'mysql' },
      /'module'.*postgres-database, s3-bucket/,
    ],
    ['a missing module', { module: undefined }, /'module': is required/],
    ['a name that is not a DNS-1123 label', { name: 'Payments_API' }, /'name'/],
    ['a name with HCL in it', { name: 'a"}${x}' }, /'name'/],
    ['a non-string name', { name: 42 }, /'name': must be a string/],
    ['an empty cost center', { costCenter: '' }, /'costCenter'/],
    [
      'an oversized cost center',
      { costCenter: 'x'.repeat(129) },
      /'costCenter': must be at most 128/,
    ],
    [
      'a non-string cost center',
      { costCenter: ['CC'] },
      /'costCenter': must be a string/,
    ],
    [
      'a cost center HCL would normalize',
      { costCenter: 'Cafe\u0301' },
      /'costCenter'.*NFC/,
    ],
    ['a lone surrogate', { costCenter: 'a\ud800' }, /'costCenter'.*surrogate/],
    ['an env that is not a label', { env: 'prod env' }, /'env'/],
    [
      'variables that are not an object',
      { variables: 'a=1' },
      /'variables': must be an object/,
    ],
    [
      'a variable name that is not an identifier',
      { variables: { 'a b': 1 } },
      /'variables\.a b'.*identifier/,
    ],
    [
      'a variable name starting with a digit',
      { variables: { '1a': 1 } },
      /'variables\.1a'/,
    ],
    [
      'a variable named __proto__',
      { variables: JSON.parse('{"__proto__": 1}') },
      /'variables\.__proto__'/,
    ],
    [
      'a variable colliding with name',
      { variables: { name: 'x' } },
      /'variables\.name'.*set by the action/,
    ],
    [
      'a variable colliding with cost_center',
      { variables: { cost_center: 'x' } },
      /'variables\.cost_center'/,
    ],
    [
      'a variable colliding with env',
      { variables: { env: 'x' } },
      /'variables\.env'/,
    ],
    [
      'a variable that is a meta-argument',
      { variables: { count: 2 } },
      /'variables\.count'/,
    ],
    [
      'an oversized variable name',
      { variables: { ['a'.repeat(65)]: 1 } },
      /must be at most 64/,
    ],
    [
      'an oversized variable value',
      { variables: { big: 'x'.repeat(1025) } },
      /'variables\.big': must be at most 1024/,
    ],
    [
      'a null variable value',
      { variables: { a: null } },
      /'variables\.a': must be a string, a number or a boolean/,
    ],
    [
      'an object variable value',
      { variables: { a: { b: 1 } } },
      /'variables\.a': must be a string, a number or a boolean/,
    ],
    ['a non-finite number', { variables: { a: Infinity } }, /'variables\.a'/],
    [
      'too many variables',
      {
        variables: Object.fromEntries(
          Array.from({ length: 33 }, (_, i) => [`v${i}`, i]),
        ),
      },
      /'variables': must have at most 32/,
    ],
    [
      'a traversal in outputDir',
      { outputDir: '../outside' },
      /'outputDir'.*outside the workspace/,
    ],
    [
      'a deeper traversal in outputDir',
      { outputDir: 'infra/../../outside' },
      /'outputDir'/,
    ],
    [
      'an absolute outputDir',
      { outputDir: outsidePath },
      /'outputDir'.*absolute/,
    ],
    ['a NUL in outputDir', { outputDir: 'infra\0' }, /'outputDir'.*NUL/],
    [
      'a non-string outputDir',
      { outputDir: 7 },
      /'outputDir': must be a string/,
    ],
    [
      'an unknown input',
      { modulePath: './x' },
      /Invalid input: unknown field 'modulePath'/,
    ],
  ])(
    'refuses %s with an InputError and writes nothing',
    async (_, patch, message) => {
      expect(await refusal({ ...baseInput, ...patch })).toMatch(message);
    },
  );

  it('refuses an outputDir that is a symbolic link to outside the workspace', async () => {
    mockDir.setContent({
      workspace: { infra: ({ symlink }) => symlink(outsidePath) },
      outside: {},
    });
    expect(await refusal(baseInput)).toMatch(
      /'outputDir'.*outside the workspace/,
    );
    expect(await refusal({ ...baseInput, outputDir: 'infra/nested' })).toMatch(
      /'outputDir'.*outside the workspace/,
    );
    expect(await fs.readdir(outsidePath)).toEqual([]);
  });

  it('refuses, before writing anything, a target that is a link or not a regular file', async () => {
    mockDir.setContent({
      workspace: {
        notes: 'a file',
        infra: { 'variables.tf': ({ symlink }) => symlink('../notes') },
        other: { 'versions.tf': {} },
        pending: ({ symlink }) => symlink('not-yet'),
      },
      outside: {},
    });
    expect(await refusal(baseInput)).toMatch(
      /'outputDir': 'infra\/variables.tf' is a symbolic link$/,
    );
    expect(await refusal({ ...baseInput, outputDir: 'other' })).toMatch(
      /'outputDir': 'other\/versions.tf' exists and is not a regular file/,
    );
    expect(await refusal({ ...baseInput, outputDir: 'pending/infra' })).toMatch(
      /'outputDir': 'pending' is a symbolic link to nothing/,
    );
    expect(await refusal({ ...baseInput, outputDir: 'notes' })).toMatch(
      /'outputDir'/,
    );
    expect(await refusal({ ...baseInput, outputDir: 'notes/deeper' })).toMatch(
      /'outputDir'/,
    );
    expect(await fs.readFile(path.join(workspacePath, 'notes'), 'utf8')).toBe(
      'a file',
    );
  });

  it('overwrites the files of an earlier run', async () => {
    await run(baseInput);
    await run({ ...baseInput, costCenter: 'CC-2002' });
    const main = await readTf(path.join(workspacePath, 'infra/main.tf'));
    expect(main.module.payments_api[0].cost_center).toBe('CC-2002');
  });

  it('writes the same files in a dry run', async () => {
    const input = {
      ...baseInput,
      env: 'dev',
      variables: { replicas: 2, tier: 'db.t3.micro' },
    };
    await run(input);
    const normal = await listTree(workspacePath);
    const contents = await Promise.all(
      normal
        .filter(entry => entry.endsWith('.tf'))
        .map(entry => fs.readFile(path.join(workspacePath, entry), 'utf8')),
    );

    mockDir.setContent({ workspace: {}, outside: {} });
    const ctx = await run(input, true);
    expect(await listTree(workspacePath)).toEqual(normal);
    expect(
      await Promise.all(
        normal
          .filter(entry => entry.endsWith('.tf'))
          .map(entry => fs.readFile(path.join(workspacePath, entry), 'utf8')),
      ),
    ).toEqual(contents);
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'infra/main.tf',
      'infra/variables.tf',
      'infra/versions.tf',
    ]);
  });

  it('runs its side effects inside a checkpoint', async () => {
    const ctx = createMockActionContext({ input: baseInput, workspacePath });
    const checkpoint = jest.fn(async () => ['cached/main.tf']);
    await action.handler({ ...ctx, checkpoint } as any);
    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'terraform-stub-payments-api-infra' }),
    );
    expect(await listTree(workspacePath)).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('files', ['cached/main.tf']);
  });

  describe('config', () => {
    it('fails at startup, naming the key, when a module has no source', () => {
      expect(() =>
        stubAction({
          pavedRoad: { terraform: { modules: { db: { version: '1.0' } } } },
        }),
      ).toThrow(/pavedRoad\.terraform\.modules\.db\.source/);
    });

    it('fails at startup when a source is empty or not NFC', () => {
      expect(() =>
        stubAction({
          pavedRoad: { terraform: { modules: { db: { source: '' } } } },
        }),
      ).toThrow(/'pavedRoad\.terraform\.modules\.db\.source'/);
      expect(() =>
        stubAction({
          pavedRoad: {
            terraform: {
              modules: { db: { source: './x' } },
              requiredVersion: 'e\u0301',
            },
          },
        }),
      ).toThrow(/'pavedRoad\.terraform\.requiredVersion'.*NFC/);
    });

    it('refuses every module when none are configured', async () => {
      const empty = stubAction({});
      const ctx = createMockActionContext({ input: baseInput, workspacePath });
      await expect(empty.handler(ctx as any)).rejects.toThrow(
        /'module': no Terraform modules are configured in pavedRoad\.terraform\.modules/,
      );
      expect(await listTree(workspacePath)).toEqual([]);
    });

    it('lists the allowed modules in the input schema', () => {
      expect(action.schema?.input).toMatchObject({
        properties: {
          module: { enum: ['postgres-database', 's3-bucket'] },
          outputDir: { default: 'infra' },
        },
        required: ['module', 'name', 'costCenter'],
      });
    });
  });

  describe('examples', () => {
    it.each(examples.map(example => [example.description, example]))(
      'runs the example: %s',
      async (_, example) => {
        const [step] = parseYaml(example.example).steps;
        expect(step.action).toBe('terraform:stub:create');

        // The scaffolder checks input against the JSON schema before the step runs.
        const validate = new Ajv({ strict: false }).compile(
          action.schema!.input as object,
        );
        expect(validate(step.input)).toBe(true);

        const ctx = await run(step.input);
        const outputDir = step.input.outputDir ?? 'infra';
        expect(ctx.output).toHaveBeenCalledWith(
          'files',
          ['main.tf', 'variables.tf', 'versions.tf'].map(
            f => `${outputDir}/${f}`,
          ),
        );
        const main = await readTf(
          path.join(workspacePath, outputDir, 'main.tf'),
        );
        const [body] = Object.values<any[]>(main.module)[0];
        expect(body.name).toBe(step.input.name);
        expect(evaluatedString(body.cost_center)).toBe(step.input.costCenter);
        for (const [key, value] of Object.entries(step.input.variables ?? {})) {
          expect(
            typeof value === 'string' ? evaluatedString(body[key]) : body[key],
          ).toBe(value);
        }
        await readTf(path.join(workspacePath, outputDir, 'variables.tf'));
        await readTf(path.join(workspacePath, outputDir, 'versions.tf'));
      },
    );
  });
});
