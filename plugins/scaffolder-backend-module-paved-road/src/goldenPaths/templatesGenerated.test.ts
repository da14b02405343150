import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
// the generator is a script of the repository (yarn templates:generate), in no package
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  GENERATED_NOTICE,
  generateTemplates,
  SOURCE_DIR,
} from '../../../../scripts/templates';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  generateVersionLock,
  VERSIONS_FILE,
} from '../../../../scripts/templateVersions';

// `yarn templates:check`: the templates written from templates/_source are the ones
// committed, so a hand edit of a generated template (or a source edited without
// `yarn templates:generate`) fails here.

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const generated = generateTemplates(REPO_ROOT);

describe.each(generated.map(t => [t.file, t]))('%s', (_file, template) => {
  it('is what `yarn templates:generate` writes from its source', () => {
    const committed = fs.readFileSync(
      path.join(REPO_ROOT, template.file),
      'utf8',
    );
    expect(committed).toBe(template.text);
  });
});

describe('templates/', () => {
  it('has a source for every generated template', () => {
    const marked = fs
      .readdirSync(path.join(REPO_ROOT, 'templates'))
      .map(dir => path.join(REPO_ROOT, 'templates', dir, 'template.yaml'))
      .filter(file => fs.existsSync(file))
      .filter(file =>
        fs.readFileSync(file, 'utf8').startsWith(`#${GENERATED_NOTICE}`),
      )
      .map(file => path.basename(path.dirname(file)));
    expect(marked.sort()).toEqual(generated.map(t => t.name).sort());
    expect(marked).toEqual(
      expect.arrayContaining(['http-service', 'background-worker']),
    );
  });

  it('keeps the sources out of the catalog, which reads templates/*/template.yaml', () => {
    const sources = fs.readdirSync(path.join(REPO_ROOT, SOURCE_DIR), {
      recursive: true,
      encoding: 'utf8',
    });
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter(f => path.basename(f) === 'template.yaml')).toEqual(
      [],
    );
  });
});

describe('generateTemplates', () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-'));
    write(
      `${SOURCE_DIR}/shared/base.yaml`,
      [
        '# shared comment',
        'metadata:',
        '  name: !var name',
        '  title: !sub Request a {kind}',
        'spec:',
        '  required:',
        '    - service',
        '    - !splice required',
        '  input:',
        '    kind: !var kind',
        '    <<: !splice choices',
        '    owner: me',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('fills !var, !sub and !splice from the variant, with a header naming the sources', () => {
    write(
      `${SOURCE_DIR}/request-disk.yaml`,
      [
        '# Self-service: a disk.',
        'base: base',
        'vars:',
        '  kind: disk',
        '  required: [size]',
        '  choices:',
        '    size: ${{ parameters.size }}',
        '',
      ].join('\n'),
    );
    write(
      `${SOURCE_DIR}/request-cache.yaml`,
      'base: base\nvars:\n  kind: cache\n',
    );

    const [cache, disk] = generateTemplates(root);

    expect(disk.file).toBe('templates/request-disk/template.yaml');
    expect(parse(disk.text)).toEqual({
      metadata: { name: 'request-disk', title: 'Request a disk' },
      spec: {
        required: ['service', 'size'],
        input: { kind: 'disk', size: '${{ parameters.size }}', owner: 'me' },
      },
    });
    expect(Object.keys(parse(disk.text).spec.input)).toEqual([
      'kind',
      'size',
      'owner',
    ]);
    expect(disk.text.split('\n').slice(0, 5)).toEqual([
      `#${GENERATED_NOTICE}${SOURCE_DIR}/request-disk.yaml and ${SOURCE_DIR}/shared/base.yaml:`,
      expect.stringContaining('yarn templates:generate'),
      '',
      '# Self-service: a disk.',
      '# shared comment',
    ]);
    // an absent splice inserts nothing
    expect(parse(cache.text).spec).toEqual({
      required: ['service'],
      input: { kind: 'cache', owner: 'me' },
    });
  });

  it.each([
    [
      'a variable the base needs is missing',
      'vars:\n  other: x\n',
      /no vars.kind/,
    ],
    [
      'a variable is not used',
      'vars:\n  kind: disk\n  kinds: x\n',
      /vars kinds not used/,
    ],
    [
      'the variant names itself',
      'vars:\n  kind: disk\n  name: x\n',
      /vars.name is the file's name/,
    ],
    [
      'a splice is not a list',
      'vars:\n  kind: disk\n  required: size\n',
      /must be a list/,
    ],
  ])('refuses a variant where %s', (_what, vars, message) => {
    write(`${SOURCE_DIR}/request-disk.yaml`, `base: base\n${vars}`);
    expect(() => generateTemplates(root)).toThrow(message);
  });
});

describe('templates/versions.yaml', () => {
  it('is what `yarn templates:generate` writes: no skeleton changed without a new version', () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, VERSIONS_FILE), 'utf8')).toBe(
      generateVersionLock(REPO_ROOT, generated),
    );
    expect(
      Object.keys(parse(generateVersionLock(REPO_ROOT, generated))),
    ).toEqual(['background-worker', 'http-service']);
  });

  describe('generateVersionLock', () => {
    let root: string;
    const template = (version: string) => ({
      name: 'tiny',
      text: [
        'metadata:',
        '  name: tiny',
        `  annotations: { paved-road.io/template-version: '${version}' }`,
        'spec:',
        '  parameters:',
        '    - properties: { language: { enum: [node, go] } }',
        '  steps:',
        '    - action: portal:template:record',
        "      input: { skeletons: [service, '${{ parameters.language }}-app'] }",
        '',
      ].join('\n'),
    });
    const writeSkeleton = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, 'skeletons', file)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(root, 'skeletons', file), text);
    };
    const release = (version: string) => {
      const lock = generateVersionLock(root, [template(version)]);
      fs.mkdirSync(path.join(root, 'templates'), { recursive: true });
      fs.writeFileSync(path.join(root, VERSIONS_FILE), lock);
      return parse(lock).tiny;
    };

    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'versions-'));
      writeSkeleton('service/README.md', '# ${{ values.name }}\n');
      writeSkeleton('node-app/index.js', 'console.log(1);\n');
      writeSkeleton('go-app/main.go', 'package main\n');
      writeSkeleton('other/unused.txt', 'not a layer of tiny\n');
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it('refuses a skeleton change without a new version, and records the new version', () => {
      const first = release('1');
      writeSkeleton('other/unused.txt', 'changed, but no layer of tiny\n');
      expect(release('1')).toEqual(first);

      writeSkeleton('go-app/main.go', 'package main // changed\n');
      expect(() => generateVersionLock(root, [template('1')])).toThrow(
        'The skeletons of tiny (go-app, node-app, service) changed since its version 1 was released: bump vars.version in templates/_source/tiny.yaml',
      );

      const second = release('2');
      expect(second['1']).toBe(first['1']);
      expect(second['2']).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(second['2']).not.toBe(first['1']);
    });
  });
});
