import { InputError } from '@backstage/errors';
import {
  describeIssue,
  DNS1123_LABEL,
  DNS1123_LABEL_MESSAGE,
  parseInput,
} from '@internal/paved-road-common';
import { z } from 'zod/v3';

/** The zod the scaffolder hands to schema callbacks (`createTemplateAction` v2). */
export type Zod = typeof z;

/** The input or output schema of an action, as `createTemplateAction` v2 takes it. */
export type SchemaShape = Record<string, (zImpl: Zod) => z.ZodTypeAny>;

export type ParsedInput<S extends SchemaShape> = {
  [K in keyof S]: z.output<ReturnType<S[K]>>;
};

/**
 * Validates action input against the same zod callbacks the action declares. The
 * scaffolder checks input against the generated JSON schema before a step runs; this
 * repeats the check with zod, so every caller (the runner, a dry run, a test) gets
 * defaults applied and an InputError that names the field.
 */
export function parseActionInput<S extends SchemaShape>(
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
  return parseInput(schema, input, 'input') as ParsedInput<S>;
}

/** The InputError for one field, worded as {@link parseActionInput} words them. */
export function fieldError(field: string, message: string): InputError {
  return new InputError(
    `Invalid input: ${describeIssue({
      code: 'custom',
      path: [field],
      message,
    })}`,
  );
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

/** One of `values`, saying which when it is not. */
export function choice<T extends string>(zImpl: Zod, values: readonly T[]) {
  const allowed = `must be one of: ${values.join(', ')}`;
  return zImpl.enum(values as unknown as [T, ...T[]], {
    errorMap: issue => ({
      message:
        issue.code === 'invalid_type' && issue.received === 'undefined'
          ? 'is required'
          : allowed,
    }),
  });
}

/** A string that must be a DNS-1123 label, as Kubernetes and Argo CD name things. */
export function dns1123Label(zImpl: Zod) {
  return text(zImpl, { max: 63 }).regex(DNS1123_LABEL, DNS1123_LABEL_MESSAGE);
}
