import { InputError } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import { parseDocument, stringify } from 'yaml';

/** Where a golden-path repository records how it was made, at its root. */
export const ANSWERS_FILE = '.paved-road/answers.yaml';
const API_VERSION = 'paved-road.io/v1';

/** The catalog annotations of a golden-path service (its skeleton writes them). */
export const TEMPLATE_ANNOTATION = 'paved-road.io/template';
export const TEMPLATE_VERSION_ANNOTATION = 'paved-road.io/template-version';

/** The value an upgrade sets to the version it renders (the skeletons read it). */
export const VERSION_VALUE = 'templateVersion';

/**
 * How a service was made: the template and its version, the portal's revision of
 * `templates/` and `skeletons/` at the time, the skeleton layers rendered in order and
 * the form's values. No secret is ever a form value of a golden path.
 */
export type ServiceAnswers = {
  template: string;
  version: number;
  /** Undefined when the portal that made it ran without its git history. */
  portalRevision?: string;
  skeletons: string[];
  values: JsonObject;
};

/** The file is written by the portal but lives in the service's repository, so it is read as hostile. */
export const ANSWERS_LIMITS = {
  fileBytes: 64 * 1024,
  values: 64,
  valueLength: 2048,
  skeletons: 8,
};

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const REVISION = /^[0-9a-f]{40}$/;
/** Template text, which the golden paths' form refuses too. */
const TEMPLATE_TEXT = /\$\{\{/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function refused(field: string, message: string): InputError {
  return new InputError(
    `${ANSWERS_FILE}: '${field}' ${message}; the file records how the service was made and is rewritten by upgrades, so restore what the portal wrote`,
  );
}

function checkValue(value: unknown, at: string, depth: number): JsonValue {
  if (typeof value === 'string') {
    if (value.length > ANSWERS_LIMITS.valueLength) {
      throw refused(
        at,
        `is longer than ${ANSWERS_LIMITS.valueLength} characters`,
      );
    }
    if (TEMPLATE_TEXT.test(value)) {
      throw refused(at, 'holds a template expression');
    }
    if (CONTROL.test(value)) {
      throw refused(at, 'holds a control character');
    }
    return value;
  }
  if (
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  ) {
    return value;
  }
  if (Array.isArray(value) && depth < 2 && value.length <= 32) {
    return value.map((item, i) => checkValue(item, `${at}.${i}`, depth + 1));
  }
  throw refused(at, 'must be text, a number, a boolean or a short list');
}

/**
 * Reads `.paved-road/answers.yaml`, refusing with an InputError naming the field what
 * the portal would not have written: template text in a value (it would be rendered
 * again), a skeleton or template name that is no plain name (a path out of the
 * skeletons), an unknown revision format, huge values or too many of them.
 */
export function parseAnswers(text: string): ServiceAnswers {
  if (Buffer.byteLength(text) > ANSWERS_LIMITS.fileBytes) {
    throw new InputError(
      `${ANSWERS_FILE} is larger than ${ANSWERS_LIMITS.fileBytes} bytes; restore what the portal wrote`,
    );
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      `${ANSWERS_FILE} is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 0 });
  } catch {
    // the portal writes no anchors or aliases; they only serve to blow a file up
    throw refused('(root)', 'uses YAML aliases');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw refused('(root)', 'must be a map');
  }
  const raw = data as Record<string, unknown>;
  if (raw.apiVersion !== API_VERSION) {
    throw refused('apiVersion', `must be ${API_VERSION}`);
  }
  const { template, version, portalRevision, skeletons, values } = raw;
  if (typeof template !== 'string' || !NAME.test(template)) {
    throw refused('template', 'must be the name of a template');
  }
  if (
    typeof version !== 'number' ||
    !Number.isInteger(version) ||
    version < 1
  ) {
    throw refused('version', 'must be a whole number from 1');
  }
  if (
    portalRevision !== undefined &&
    (typeof portalRevision !== 'string' || !REVISION.test(portalRevision))
  ) {
    throw refused('portalRevision', 'must be a git commit (40 hex digits)');
  }
  if (
    !Array.isArray(skeletons) ||
    skeletons.length === 0 ||
    skeletons.length > ANSWERS_LIMITS.skeletons
  ) {
    throw refused(
      'skeletons',
      `must list 1 to ${ANSWERS_LIMITS.skeletons} skeletons`,
    );
  }
  for (const [i, skeleton] of skeletons.entries()) {
    if (typeof skeleton !== 'string' || !NAME.test(skeleton)) {
      throw refused(
        `skeletons.${i}`,
        'must be the name of a folder in skeletons/',
      );
    }
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw refused('values', 'must be a map');
  }
  const entries = Object.entries(values);
  if (entries.length > ANSWERS_LIMITS.values) {
    throw refused('values', `has more than ${ANSWERS_LIMITS.values} values`);
  }
  const checked: JsonObject = {};
  for (const [key, value] of entries) {
    if (!KEY.test(key)) {
      throw refused(`values.${key.slice(0, 64)}`, 'is no plain name');
    }
    checked[key] = checkValue(value, `values.${key}`, 0);
  }
  return {
    template,
    version,
    portalRevision: portalRevision as string | undefined,
    skeletons: skeletons as string[],
    values: checked,
  };
}

/** The file's text, built as data; values are written as given. */
export function stringifyAnswers(answers: ServiceAnswers): string {
  const body = stringify(
    {
      apiVersion: API_VERSION,
      template: answers.template,
      version: answers.version,
      ...(answers.portalRevision
        ? { portalRevision: answers.portalRevision }
        : {}),
      skeletons: answers.skeletons,
      values: answers.values,
    },
    { lineWidth: 0 },
  );
  return `# How this service was made, written by the Paved Road portal. Upgrades of its\n# template read it and bump it; please leave it as it is.\n${body}`;
}
