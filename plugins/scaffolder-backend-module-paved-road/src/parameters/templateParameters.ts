import { resolveParameterSteps } from '@backstage/plugin-scaffolder-common/alpha';
import { JsonObject, JsonValue } from '@backstage/types';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import ajvErrors from 'ajv-errors';

/** One value the template's parameters refuse, with the template's own words. */
export type ParameterProblem = { field: string; message: string };

/** The `ui:field` of a name that must not be a component's already. */
export const NEW_COMPONENT_NAME_FIELD = 'NewComponentNamePicker';

const MAX_CACHED = 200;

/**
 * The JSON schema of every parameter page must hold for the values, as the scaffolder
 * checks on the server, but with the messages the template gives in `errorMessage`
 * (ajv-errors, as the form shows them) instead of "does not match pattern".
 */
export class TemplateParameters {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  static create(): TemplateParameters {
    return new TemplateParameters();
  }

  private constructor() {
    // templates carry ui:* keys and enumNames, which are not JSON schema keywords
    this.ajv = new Ajv({ allErrors: true, strict: false, logger: false });
    ajvErrors(this.ajv);
  }

  /** The pages the form shows for these values (a page's `when` may hide it). */
  visiblePages(
    parameters: JsonValue | undefined,
    values: JsonObject,
  ): JsonObject[] {
    const pages = [parameters ?? []]
      .flat()
      .filter(
        (page): page is JsonObject =>
          typeof page === 'object' && page !== null && !Array.isArray(page),
      );
    const { visible } = resolveParameterSteps(
      values as Record<string, JsonValue>,
      pages.map(schema => ({ schema, when: schema.when })),
    );
    return pages.filter((_, index) => visible[index]);
  }

  /** What the visible pages refuse, in the order of the form; empty when all hold. */
  problems(
    parameters: JsonValue | undefined,
    values: JsonObject,
  ): ParameterProblem[] {
    const problems: ParameterProblem[] = [];
    for (const page of this.visiblePages(parameters, values)) {
      const validate = this.validator(page);
      if (!validate(values)) {
        for (const error of validate.errors ?? []) {
          problems.push(describe(error));
        }
      }
    }
    const seen = new Set<string>();
    return problems.filter(p => {
      const key = `${p.field}\n${p.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }

  /** The values of fields that name a new component (`ui:field` {@link NEW_COMPONENT_NAME_FIELD}). */
  newComponentNames(
    parameters: JsonValue | undefined,
    values: JsonObject,
  ): Array<{ field: string; name: string }> {
    const names: Array<{ field: string; name: string }> = [];
    for (const page of this.visiblePages(parameters, values)) {
      const properties = (page.properties ?? {}) as Record<string, JsonValue>;
      for (const [field, schema] of Object.entries(properties)) {
        const value = values[field];
        if (
          typeof schema === 'object' &&
          schema !== null &&
          !Array.isArray(schema) &&
          schema['ui:field'] === NEW_COMPONENT_NAME_FIELD &&
          typeof value === 'string'
        ) {
          names.push({ field, name: value });
        }
      }
    }
    return names;
  }

  private validator(page: JsonObject): ValidateFunction {
    // the form validates a page without its `when`; so does the server
    const { when: _when, ...schema } = page;
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      if (this.compiled.size >= MAX_CACHED) {
        this.compiled.clear();
      }
      validate = this.ajv.compile(schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** `field 'costCenter'` for `/costCenter`; a missing property names itself. */
function describe(error: ErrorObject): ParameterProblem {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string })
      .missingProperty;
    return { field: [...path, missing].join('.'), message: 'is required' };
  }
  return {
    field: path.join('.') || '(values)',
    message: error.message ?? 'is not valid',
  };
}
