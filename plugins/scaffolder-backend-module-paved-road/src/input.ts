import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

/** The zod the scaffolder hands to schema callbacks (`createTemplateAction` v2). */
export type Zod = typeof z;

/** The input or output schema of an action, as `createTemplateAction` v2 takes it. */
export type SchemaShape = Record<string, (zImpl: Zod) => z.ZodTypeAny>;

export type ParsedInput<S extends SchemaShape> = {
  [K in keyof S]: z.output<ReturnType<S[K]>>;
};

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `Unknown input ${issue.keys.map(k => `'${k}'`).join(', ')}`;
  }
  const field = issue.path.map(String).join('.');
  return field
    ? `Invalid input '${field}': ${issue.message}`
    : `Invalid input: ${issue.message}`;
}

/**
 * Validates action input against the same zod callbacks the action declares. The
 * scaffolder checks input against the generated JSON schema before a step runs; this
 * repeats the check with zod, so every caller (the runner, a dry run, a test) gets
 * defaults applied and an InputError that names the field.
 */
export function parseInput<S extends SchemaShape>(
  shape: S,
  input: unknown,
): ParsedInput<S> {
  const schema = z
    .object(
      Object.fromEntries(
        Object.entries(shape).map(([key, build]) => [key, build(z)]),
      ),
    )
    .strict();
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new InputError(result.error.issues.map(describeIssue).join('; '));
  }
  return result.data as ParsedInput<S>;
}

/** A string field with the messages we use everywhere. */
export function text(zImpl: Zod, options: { max: number; min?: number }) {
  return zImpl
    .string({
      required_error: 'is required',
      invalid_type_error: 'must be a string',
    })
    .min(options.min ?? 1, 'must not be empty')
    .max(options.max, `must be at most ${options.max} characters`);
}

/** RFC 1123 label, as Kubernetes and Argo CD name things. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A string that must be a DNS-1123 label, with a message people can act on. */
export function dns1123Label(zImpl: Zod) {
  return text(zImpl, { max: 63 }).regex(
    DNS1123_LABEL,
    'must be a DNS-1123 label: lowercase letters, digits and dashes, starting and ending with a letter or digit',
  );
}
