// Writes templates/<name>/template.yaml from templates/_source: one variant file per
// template (templates/_source/<name>.yaml) and the shared part it names
// (templates/_source/shared/<base>.yaml). See templates/README.md.
//   yarn templates:generate
// templates/_source/shared holds templates with markers the variant fills:
//   !var x       the variant's x (any value)
//   !sub 'a {x}' the text with each {x} replaced by the variant's x (a string)
//   !splice x    as a list item: the items of the variant's list x; as `<<: !splice x` in
//                a map: the entries of the variant's map x; nothing if the variant has no x
// The base is edited as a YAML document, not rebuilt from plain data, so that its comments,
// anchors and quoting stay as written; prettier then formats the result like every file.
import fs from 'node:fs';
import path from 'node:path';
import {
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Node,
  Pair,
  parseDocument,
  Scalar,
  ScalarTag,
  YAMLMap,
} from 'yaml';
import { generateVersionLock, VERSIONS_FILE } from './templateVersions';

/** Where the sources live, relative to the repository root. */
export const SOURCE_DIR = 'templates/_source';
const SHARED_DIR = `${SOURCE_DIR}/shared`;

/** The first line of every generated template; how the check recognizes one. */
export const GENERATED_NOTICE = ' Generated from ';

type Prettier = {
  format(source: string, options: Record<string, unknown>): string;
  resolveConfig: { sync(file: string): Record<string, unknown> | null };
};
// prettier 2 ships no types; these two calls are all this script needs
const prettier: Prettier = require('prettier');

const MARKERS = ['!var', '!sub', '!splice'];
const customTags: ScalarTag[] = MARKERS.map(tag => ({
  tag,
  resolve: (value: string) => value,
}));

export type GeneratedTemplate = {
  name: string;
  /** Relative to the repository root. */
  file: string;
  text: string;
};

function readDocument(root: string, file: string): Document {
  const doc = parseDocument(fs.readFileSync(path.join(root, file), 'utf8'), {
    customTags,
  });
  const problem = [...doc.errors, ...doc.warnings][0];
  if (problem) {
    throw new Error(`${file}: ${problem.message}`);
  }
  return doc;
}

/** Removes the leading comment of a document, wherever the parser attached it. */
function takeLeadingComment(doc: Document): string[] {
  const first = isMap(doc.contents) ? doc.contents.items[0] : undefined;
  const holders = [
    doc,
    doc.contents,
    isPair(first) && isScalar(first.key) ? first.key : undefined,
  ];
  const lines: string[] = [];
  for (const holder of holders) {
    if (holder?.commentBefore) {
      lines.push(...holder.commentBefore.split('\n'));
      holder.commentBefore = null;
    }
  }
  return lines;
}

/** The variables of one variant: its `vars`, plus `name`, its file's name. */
class Vars {
  private readonly used = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly values: Map<string, Node>,
  ) {}

  get(name: string): Node | undefined {
    this.used.add(name);
    const value = this.values.get(name);
    return value ? (value.clone() as Node) : undefined;
  }

  require(name: string, where: string): Node {
    const value = this.get(name);
    if (!value) {
      throw new Error(`${this.file}: no vars.${name}, which ${where} needs`);
    }
    return value;
  }

  text(name: string, where: string): string {
    const value = this.require(name, where);
    if (!isScalar(value) || typeof value.value !== 'string') {
      throw new Error(`${this.file}: vars.${name} must be text (${where})`);
    }
    return value.value;
  }

  assertAllUsed(base: string) {
    const unused = [...this.values.keys()].filter(k => !this.used.has(k));
    if (unused.length > 0) {
      throw new Error(
        `${this.file}: vars ${unused.join(', ')} not used by ${base}`,
      );
    }
  }
}

function markerOf(node: unknown, marker: string): string | undefined {
  return isScalar(node) && node.tag === marker ? String(node.value) : undefined;
}

/** Replaces the markers under node, in place; returns the node to keep there. */
function fill(node: unknown, vars: Vars, where: string): unknown {
  if (isScalar(node)) {
    if (node.tag === '!var') {
      return vars.require(String(node.value), where);
    }
    if (node.tag === '!sub') {
      const template = String(node.value);
      const text = template.replace(/\{(\w+)\}/g, (_, name: string) =>
        vars.text(name, where),
      );
      if (text === template) {
        throw new Error(`${where}: !sub without any {var}`);
      }
      node.value = text;
      node.tag = undefined;
      return node;
    }
    if (node.tag === '!splice') {
      throw new Error(
        `${where}: !splice only as a list item or as <<: in a map`,
      );
    }
    return node;
  }
  if (isSeq(node)) {
    node.items = node.items.flatMap((item, i) => {
      const spliced = markerOf(item, '!splice');
      if (spliced === undefined) {
        return [fill(item, vars, `${where}[${i}]`)];
      }
      const list = vars.get(spliced);
      if (list !== undefined && !isSeq(list)) {
        throw new Error(`${where}: vars.${spliced} must be a list`);
      }
      return list?.items ?? [];
    });
    return node;
  }
  if (isMap(node)) {
    node.items = node.items.flatMap(pair => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const spliced = markerOf(pair.value, '!splice');
      if (key === '<<' && spliced !== undefined) {
        const map = vars.get(spliced);
        if (map !== undefined && !isMap(map)) {
          throw new Error(`${where}: vars.${spliced} must be a map`);
        }
        return (map?.items ?? []) as Pair<unknown, unknown>[];
      }
      if (key === '<<') {
        throw new Error(`${where}: << only as <<: !splice x`);
      }
      pair.value = fill(pair.value, vars, `${where}.${key}`);
      return [pair];
    });
    return node;
  }
  if (isAlias(node) || node === null || node === undefined) {
    return node;
  }
  throw new Error(`${where}: unexpected ${typeof node}`);
}

function generateOne(root: string, variantFile: string): GeneratedTemplate {
  const name = path.basename(variantFile, '.yaml');
  const variant = readDocument(root, variantFile);
  const spec = variant.contents;
  const keys = isMap(spec)
    ? spec.items.map(p => (isScalar(p.key) ? p.key.value : undefined))
    : [];
  const baseName = variant.get('base');
  const varsNode = variant.get('vars', true) ?? new YAMLMap();
  if (
    keys.some(k => k !== 'base' && k !== 'vars') ||
    typeof baseName !== 'string' ||
    !isMap(varsNode)
  ) {
    throw new Error(
      `${variantFile}: expected "base: <a file of ${SHARED_DIR}, without .yaml>" and "vars:" (a map), nothing else`,
    );
  }
  const values = new Map<string, Node>();
  for (const pair of varsNode.items) {
    values.set(
      String(isScalar(pair.key) ? pair.key.value : ''),
      pair.value as Node,
    );
  }
  if (values.has('name')) {
    throw new Error(`${variantFile}: vars.name is the file's name, "${name}"`);
  }
  values.set('name', new Scalar(name));
  const vars = new Vars(variantFile, values);

  const baseFile = `${SHARED_DIR}/${baseName}.yaml`;
  const doc = readDocument(root, baseFile);
  const baseComment = takeLeadingComment(doc);
  doc.contents = fill(doc.contents, vars, baseFile) as Node;
  vars.assertAllUsed(baseFile);
  doc.contents.commentBefore = [
    `${GENERATED_NOTICE}${variantFile} and ${baseFile}:`,
    ' edit them and run `yarn templates:generate`; `yarn templates:check` fails on a hand edit.',
    '',
    ...takeLeadingComment(variant),
    ...baseComment,
  ].join('\n');

  const file = `templates/${name}/template.yaml`;
  const text = prettier.format(doc.toString({ lineWidth: 100 }), {
    ...prettier.resolveConfig.sync(path.join(root, file)),
    parser: 'yaml',
  });
  return { name, file, text };
}

/** Every template of templates/_source, as `yarn templates:generate` writes it. */
export function generateTemplates(root: string): GeneratedTemplate[] {
  return fs
    .readdirSync(path.join(root, SOURCE_DIR))
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(f => generateOne(root, `${SOURCE_DIR}/${f}`));
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const templates = generateTemplates(root);
  // refuses a skeleton change without a new version before anything is written
  const lock = generateVersionLock(root, templates);
  for (const { file, text } of templates) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
    process.stdout.write(`wrote ${file}\n`);
  }
  fs.writeFileSync(path.join(root, VERSIONS_FILE), lock);
  process.stdout.write(`wrote ${VERSIONS_FILE}\n`);
}
