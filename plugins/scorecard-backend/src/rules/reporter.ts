import { InputError } from '@backstage/errors';
import { RuleParamsReader } from '@internal/plugin-scorecard-node';

export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws errors that name what is wrong: `Invalid scorecard rule 'x' field 'y': why`. */
export class Reporter {
  constructor(private readonly subject: string) {}

  failWhole(problem: string): never {
    throw new InputError(`Invalid scorecard ${this.subject}: ${problem}`);
  }

  fail(field: string, problem: string): never {
    throw new InputError(
      `Invalid scorecard ${this.subject} field '${field}': ${problem}`,
    );
  }

  object(value: unknown, field: string): JsonObject {
    if (!isObject(value)) {
      this.fail(field, `must be an object, got ${describe(value)}`);
    }
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(field, `must be a non-empty string, got ${describe(value)}`);
    }
    return value;
  }

  optionalString(value: unknown, field: string): string | undefined {
    return value === undefined ? undefined : this.string(value, field);
  }

  stringArray(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || value.length === 0) {
      this.fail(field, `must be a non-empty list, got ${describe(value)}`);
    }
    return value.map((item, i) => this.string(item, `${field}[${i}]`));
  }

  optionalStringArray(value: unknown, field: string): string[] | undefined {
    return value === undefined ? undefined : this.stringArray(value, field);
  }

  onlyKeys(value: JsonObject, allowed: string[], prefix: string) {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(
          `${prefix}${key}`,
          `unknown field, expected one of ${allowed.join(', ')}`,
        );
      }
    }
  }

  fieldPath(value: unknown, field: string): string {
    const path = this.string(value, field);
    if (path.split('.').some(segment => segment === '')) {
      this.fail(field, `must be a dot path like spec.lifecycle, got '${path}'`);
    }
    return path;
  }

  /** Reads one rule's params, naming each field `params.<name>`. */
  paramsReader(params: JsonObject): RuleParamsReader {
    const field = (name: string) => `params.${name}`;
    return {
      value: name => params[name],
      string: name => this.string(params[name], field(name)),
      optionalString: name => this.optionalString(params[name], field(name)),
      stringArray: name => this.stringArray(params[name], field(name)),
      optionalStringArray: name =>
        this.optionalStringArray(params[name], field(name)),
      fieldPath: name => this.fieldPath(params[name], field(name)),
      fail: (name, problem) => this.fail(field(name), problem),
    };
  }
}

export function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value === null) {
    return 'null';
  }
  return typeof value === 'object' ? 'an object' : JSON.stringify(value);
}
