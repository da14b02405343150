// The released versions of the golden paths: for each template with a
// `paved-road.io/template-version` annotation, the hash of its skeleton layers at each
// version, in templates/versions.yaml (written by `yarn templates:generate`). A service
// records the version it was made from and is upgraded from it, so a skeleton that
// changes without a new version would change a released version under the services
// made from it: `yarn templates:generate` (and so `yarn templates:check`) refuses that.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export const VERSIONS_FILE = 'templates/versions.yaml';
const VERSION_ANNOTATION = 'paved-road.io/template-version';
const RECORD_ACTION = 'portal:template:record';
const LANGUAGE = '${{ parameters.language }}';

type TemplateDoc = {
  metadata?: { name?: string; annotations?: Record<string, unknown> };
  spec?: {
    parameters?: Array<{ properties?: Record<string, { enum?: string[] }> }>;
    steps?: Array<{ action?: string; input?: { skeletons?: unknown } }>;
  };
};

/** Versions by template, each version's hash of the skeleton layers. */
export type VersionLock = Record<string, Record<string, string>>;

/**
 * The skeleton layers a template can render: the `skeletons` its record step lists,
 * with `${{ parameters.language }}` expanded over the language choices.
 */
export function templateLayers(doc: TemplateDoc): string[] {
  const record = doc.spec?.steps?.find(step => step.action === RECORD_ACTION);
  const listed = record?.input?.skeletons;
  if (!Array.isArray(listed)) {
    throw new Error(
      `${doc.metadata?.name}: a versioned template needs a ${RECORD_ACTION} step listing its skeletons`,
    );
  }
  const languages =
    doc.spec?.parameters?.find(page => page.properties?.language)?.properties
      ?.language?.enum ?? [];
  const layers = listed.flatMap(layer =>
    String(layer).includes(LANGUAGE)
      ? languages.map(language => String(layer).replace(LANGUAGE, language))
      : [String(layer)],
  );
  return [...new Set(layers)].sort();
}

/** sha256 of every file of the layers: path and content, in a stable order. */
export function layersHash(skeletonsDir: string, layers: string[]): string {
  const hash = createHash('sha256');
  for (const layer of layers) {
    const dir = path.join(skeletonsDir, layer);
    if (!fs.existsSync(dir)) {
      throw new Error(`no skeleton '${layer}' in ${skeletonsDir}`);
    }
    const files = (fs.readdirSync(dir, { recursive: true }) as string[])
      .map(file => file.split(path.sep).join('/'))
      .filter(file => fs.statSync(path.join(dir, file)).isFile())
      .sort();
    for (const file of files) {
      hash.update(`${layer}/${file}\0`);
      hash.update(fs.readFileSync(path.join(dir, file)));
      hash.update('\0');
    }
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * templates/versions.yaml as `yarn templates:generate` writes it from the templates
 * (`{ name, text }`) and the skeletons: the committed versions kept, the current version
 * of each template added. Throws when a template's skeletons changed while its version
 * stayed the same.
 */
export function generateVersionLock(
  root: string,
  templates: Array<{ name: string; text: string }>,
): string {
  const file = path.join(root, VERSIONS_FILE);
  const committed: VersionLock = fs.existsSync(file)
    ? parse(fs.readFileSync(file, 'utf8')) ?? {}
    : {};
  const lock: VersionLock = {};
  for (const template of [...templates].sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const doc = parse(template.text) as TemplateDoc;
    const version = doc.metadata?.annotations?.[VERSION_ANNOTATION];
    if (version === undefined) {
      continue;
    }
    const current = String(version);
    const hash = layersHash(path.join(root, 'skeletons'), templateLayers(doc));
    const released = committed[template.name] ?? {};
    if (released[current] !== undefined && released[current] !== hash) {
      throw new Error(
        `The skeletons of ${template.name} (${templateLayers(doc).join(
          ', ',
        )}) changed since its version ${current} was released: bump vars.version in templates/_source/${
          template.name
        }.yaml, then run yarn templates:generate`,
      );
    }
    lock[template.name] = { ...released, [current]: hash };
  }
  return `# Written by \`yarn templates:generate\`: each golden path's released versions and the\n# hash of its skeleton layers at each. A skeleton change needs a new version.\n${stringify(
    lock,
    // as prettier writes YAML here
    { singleQuote: true },
  )}`;
}
