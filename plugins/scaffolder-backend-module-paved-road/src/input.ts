import { InputError } from '@backstage/errors';
import {
  CONTROL_CHARACTERS_MESSAGE,
  describeIssue,
  DNS1123_LABEL,
  DNS1123_LABEL_MESSAGE,
  hasControlCharacters,
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
 * Refuses control characters in every string of the input (nested ones included),
 * naming the field: tab, newline and carriage return only in the `multiline` fields, no
 * NUL anywhere. A generated file, a commit or a database row never gets one.
 */
function refuseControlCharacters(multiline: ReadonlySet<string>) {
  return (value: unknown, ctx: z.RefinementCtx) => {
    const visit = (node: unknown, path: Array<string | number>) => {
      if (typeof node === 'string') {
        const lines = multiline.has(String(path[0]));
        if (hasControlCharacters(node, { multiline: lines })) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path,
            message: CONTROL_CHARACTERS_MESSAGE,
          });
        }
      } else if (Array.isArray(node)) {
        for (const [index, item] of node.entries()) {
          visit(item, [...path, index]);
        }
      } else if (typeof node === 'object' && node !== null) {
        for (const [key, item] of Object.entries(node)) {
          visit(item, [...path, key]);
        }
      }
    };
    visit(value, []);
  };
}

/**
 * Validates action input against the same zod callbacks the action declares. The
 * scaffolder checks input against the generated JSON schema before a step runs; this
 * repeats the check with zod, so every caller (the runner, a dry run, a test) gets
 * defaults applied and an InputError that names the field. Control characters are
 * refused first, in every string (`multiline` names the top-level fields that may hold
 * tabs and line breaks).
 */
export function parseActionInput<S extends SchemaShape>(
  shape: S,
  input: unknown,
  options: { multiline?: ReadonlyArray<keyof S & string> } = {},
): ParsedInput<S> {
  const schema = z
    .unknown()
    .superRefine(refuseControlCharacters(new Set(options.multiline ?? [])))
    .pipe(
      z
        .object(
          Object.fromEntries(
            Object.entries(shape).map(([key, build]) => [key, build(z)]),
          ),
        )
        .strict(),
    );
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
