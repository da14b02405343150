import { InputError } from '@backstage/errors';

/**
 * One problem a schema found, in the shape zod (v3 and v4) reports it.
 *
 * @public
 */
export interface SchemaIssue {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  /** For `unrecognized_keys`: the keys nobody asked for. */
  keys?: ReadonlyArray<string>;
}

/**
 * Anything with zod's `safeParse`: a zod v3 or v4 schema.
 *
 * @public
 */
export interface ParsingSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<SchemaIssue> } };
}

/**
 * What one issue says, naming the field: `field 'spec.owner': must not be empty`, or
 * `unknown field 'x'`.
 *
 * @public
 */
export function describeIssue(issue: SchemaIssue): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return `unknown field ${issue.keys.map(k => `'${k}'`).join(', ')}`;
  }
  const field = issue.path.map(String).join('.');
  return field ? `field '${field}': ${issue.message}` : issue.message;
}

/**
 * Parses `value` with `schema`, or throws an `InputError` (400) that names every field
 * at fault: `Invalid exemption request: field 'reason': must not be empty`. A missing
 * value parses as `{}`, so that "field x is required" names x.
 *
 * @public
 */
export function parseInput<T>(
  schema: ParsingSchema<T>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) {
    return result.data;
  }
  throw new InputError(
    `Invalid ${what}: ${result.error.issues.map(describeIssue).join('; ')}`,
  );
}
