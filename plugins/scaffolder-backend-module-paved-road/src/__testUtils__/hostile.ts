import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

/**
 * Fragments that break naive YAML, HCL, JSON or shell handling, and paths that try to
 * leave the workspace.
 */
export const HOSTILE_FRAGMENTS = [
  '"',
  "'",
  '\\',
  '${',
  '$${',
  '%{',
  '%%{',
  '}',
  '${{ parameters.name }}',
  '{{',
  ': ',
  '- ',
  '#',
  '&anchor',
  '*alias',
  '!!python/object',
  '---',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u2028',
  '\u2029',
  '\u00e9',
  '\u{1F680}',
  '../',
  '/etc/passwd',
  '..',
  'a',
  'payments',
  '-',
  '.',
  '/',
];

/** Strings stitched from hostile fragments and arbitrary text, sometimes very long. */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .array(
        fc.oneof(
          fc.constantFrom(...HOSTILE_FRAGMENTS),
          fc.string({ maxLength: 5 }),
        ),
        { maxLength: 8 },
      )
      .map(parts => parts.join('')),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.constant('x'.repeat(5000)),
  );
}

/** Any value at all, for fields that must be strings. */
export function notAString(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), {
      maxKeys: 2,
    }),
  );
}

/**
 * Every file under `base` that is not inside `workspacePath`, following no links: what
 * an action must never create.
 */
export function listFilesOutside(
  base: string,
  workspacePath: string,
): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (full === workspacePath) {
        continue;
      }
      if (entry.isDirectory()) {
        walk(full);
      } else {
        found.push(path.relative(base, full));
      }
    }
  };
  walk(base);
  return found;
}

/**
 * Mostly `valid`, sometimes hostile text, an extra hostile choice, or not a string:
 * so that a record of several fields is still accepted often enough to check output.
 */
export function mostlyValid<T>(
  valid: fc.Arbitrary<T>,
  hostile: fc.Arbitrary<unknown> = hostileString(),
): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: valid, weight: 12 },
    { arbitrary: hostile, weight: 1 },
    { arbitrary: notAString(), weight: 1 },
  );
}
