import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { fieldError } from '../input';

/** A template expression, or the start of one that never closes. */
const EXPRESSION = /\$\{\{(?:[^}]|\}(?!\}))*(?:\}\}|$)/g;
const MAX_SHOWN = 120;
/** What a skeleton writes verbatim: its `{% raw %}` blocks. */
const RAW_BLOCK = /\{%-?\s*raw\s*-?%\}([\s\S]*?)\{%-?\s*endraw\s*-?%\}/g;

/** Bytes read to tell a text file from a binary one, as git does (a NUL in them). */
const BINARY_PROBE = 8000;

function shown(expression: string): string {
  return expression.length > MAX_SHOWN
    ? `${expression.slice(0, MAX_SHOWN)}…`
    : expression;
}

/**
 * Refuses values that still hold `${{`: the scaffolder leaves an expression of a step's
 * input as written when it cannot render it (`parseEntityRef` of a bare name,
 * `parseRepoUrl` of something else), and the skeleton would copy it into every file.
 * Names the value and, when the expression reads one, the template parameter.
 */
export function assertRenderedValues(values: JsonValue, field = 'values') {
  const visit = (node: JsonValue | undefined, at: string): void => {
    if (typeof node === 'string') {
      const [expression] = node.match(EXPRESSION) ?? [];
      if (expression === undefined) {
        return;
      }
      const parameter = /\bparameters\.([A-Za-z_$][\w$]*)/.exec(expression)?.[1];
      if (parameter) {
        throw new InputError(
          `Invalid parameter '${parameter}': the template could not render '${shown(
            expression,
          )}' with it (for ${at}); check the value of '${parameter}'`,
        );
      }
      throw fieldError(
        at,
        `holds the template expression '${shown(
          expression,
        )}', which a generated file may not contain`,
      );
    }
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) {
        visit(item, `${at}.${index}`);
      }
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        visit(item, `${at}.${key}`);
      }
    }
  };
  visit(values, field);
}

async function* textFiles(
  dir: string,
  relative = '',
): AsyncGenerator<{ path: string; text: string }> {
  for (const entry of await fs.readdir(path.join(dir, relative), {
    withFileTypes: true,
  })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      yield* textFiles(dir, child);
    } else if (entry.isFile()) {
      const content = await fs.readFile(path.join(dir, child));
      if (!content.subarray(0, BINARY_PROBE).includes(0)) {
        yield { path: child, text: content.toString('utf8') };
      }
    }
  }
}

/**
 * Refuses rendered output that holds a `${{` expression the skeleton does not write
 * verbatim (in a `{% raw %}` block, such as GitHub Actions' `${{ github.sha }}`): that
 * is template text which was never rendered. Names the file and the expression.
 */
export async function assertRenderedOutput(options: {
  skeleton: string;
  /** The skeleton as fetch:template read it. */
  sourceDir: string;
  /** What it rendered. */
  outputDir: string;
}): Promise<void> {
  const verbatim = new Set<string>();
  for await (const file of textFiles(options.sourceDir)) {
    for (const [, raw] of file.text.matchAll(RAW_BLOCK)) {
      for (const expression of raw.match(EXPRESSION) ?? []) {
        verbatim.add(expression);
      }
    }
  }
  for await (const file of textFiles(options.outputDir)) {
    for (const expression of file.text.match(EXPRESSION) ?? []) {
      if (!verbatim.has(expression)) {
        throw new InputError(
          `The skeleton '${options.skeleton}' rendered ${file.path} with the template expression '${shown(
            expression,
          )}' still in it; a value the template passed was not rendered`,
        );
      }
    }
  }
}
