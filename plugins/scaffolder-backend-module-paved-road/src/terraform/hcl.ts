/**
 * A small writer for the HCL native syntax that Terraform reads. Files are built as data
 * (blocks, attributes, values) and serialized here, so user input only ever ends up
 * inside a quoted string literal, escaped.
 */

/** A reference such as `var.env` or the type keyword `string`, written unquoted. */
export type HclTraversal = {
  readonly kind: 'traversal';
  readonly segments: readonly string[];
};

/** The values an attribute can take. */
export type HclValue = string | number | boolean | HclTraversal;

export type HclAttribute = {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: HclValue;
};

export type HclBlock = {
  readonly kind: 'block';
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: readonly HclBodyItem[];
};

export type HclBodyItem = HclAttribute | HclBlock;

/**
 * ASCII identifiers as HCL reads them (HCL also takes Unicode letters; Terraform names
 * never need them).
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function isHclIdentifier(value: string): boolean {
  return IDENTIFIER.test(value);
}

export function attribute(name: string, value: HclValue): HclAttribute {
  return { kind: 'attribute', name, value };
}

export function block(
  type: string,
  labels: readonly string[],
  body: readonly HclBodyItem[],
): HclBlock {
  return { kind: 'block', type, labels, body };
}

export function traversal(...segments: string[]): HclTraversal {
  return { kind: 'traversal', segments };
}

/**
 * Why a string cannot be written so that HCL reads back the same value, or undefined
 * if it can. HCL normalizes every string literal to Unicode NFC (escapes included), and
 * UTF-8 has no encoding for a lone surrogate.
 */
export function hclStringIssue(value: string): string | undefined {
  if (/\p{Cs}/u.test(value)) {
    return 'must be valid Unicode (it contains a lone surrogate)';
  }
  if (value.normalize('NFC') !== value) {
    return 'must be in Unicode normalization form C (NFC), as Terraform normalizes strings to it';
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '${': '$${',
  '%{': '%%{',
};

/**
 * Template sequences, quote and backslash, and every control, format and line or
 * paragraph separator character. The latter are escaped so a generated file shows what
 * it holds (no raw line breaks, no invisible or bidi characters).
 */
const NEEDS_ESCAPE = /\$\{|%\{|[\\"]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

function escapeCodePoint(char: string): string {
  const simple = SIMPLE_ESCAPES[char];
  if (simple !== undefined) {
    return simple;
  }
  const codePoint = char.codePointAt(0)!;
  return codePoint > 0xffff
    ? `\\U${codePoint.toString(16).padStart(8, '0')}`
    : `\\u${codePoint.toString(16).padStart(4, '0')}`;
}

/** A quoted HCL string literal that evaluates to exactly `value`. */
export function quoteHclString(value: string): string {
  const issue = hclStringIssue(value);
  if (issue) {
    throw new TypeError(`Cannot write this string as HCL: it ${issue}`);
  }
  return `"${value.replace(NEEDS_ESCAPE, escapeCodePoint)}"`;
}

function assertIdentifier(value: string, what: string) {
  if (!isHclIdentifier(value)) {
    throw new TypeError(
      `Cannot write ${what} ${JSON.stringify(value)} as HCL: not an identifier`,
    );
  }
}

export function formatHclValue(value: HclValue): string {
  switch (typeof value) {
    case 'string':
      return quoteHclString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`Cannot write the number ${value} as HCL`);
      }
      // The shortest decimal that reads back as the same double; HCL numbers are
      // arbitrary precision, and `1e+21` and `-0.5` are valid there too.
      return String(value);
    default:
      if (value.segments.length === 0) {
        throw new TypeError('Cannot write an empty traversal as HCL');
      }
      for (const segment of value.segments) {
        assertIdentifier(segment, 'the traversal segment');
      }
      return value.segments.join('.');
  }
}

function formatBody(body: readonly HclBodyItem[], indent: string): string[] {
  const names = new Set<string>();
  for (const item of body) {
    if (item.kind === 'attribute') {
      if (names.has(item.name)) {
        throw new TypeError(
          `Cannot write HCL: the attribute ${JSON.stringify(
            item.name,
          )} is set twice`,
        );
      }
      names.add(item.name);
    }
  }

  // Chunks are runs of attributes (with `=` aligned, as `terraform fmt` does) and
  // blocks, separated by blank lines.
  const chunks: string[] = [];
  let run: HclAttribute[] = [];
  const flushRun = () => {
    if (run.length === 0) {
      return;
    }
    const width = Math.max(...run.map(a => a.name.length));
    chunks.push(
      run
        .map(a => {
          assertIdentifier(a.name, 'the attribute name');
          return `${indent}${a.name.padEnd(width)} = ${formatHclValue(
            a.value,
          )}\n`;
        })
        .join(''),
    );
    run = [];
  };
  for (const item of body) {
    if (item.kind === 'attribute') {
      run.push(item);
      continue;
    }
    flushRun();
    assertIdentifier(item.type, 'the block type');
    const head = [item.type, ...item.labels.map(quoteHclString)].join(' ');
    const inner = formatBody(item.body, `${indent}  `);
    chunks.push(
      inner.length === 0
        ? `${indent}${head} {}\n`
        : `${indent}${head} {\n${inner.join('\n')}${indent}}\n`,
    );
  }
  flushRun();
  return chunks;
}

/** The text of an HCL file with the given top-level attributes and blocks. */
export function formatHcl(body: readonly HclBodyItem[]): string {
  return formatBody(body, '').join('\n');
}
