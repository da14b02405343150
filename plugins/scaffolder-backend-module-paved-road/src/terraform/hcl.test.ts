import { parse } from '@cdktf/hcl2json';
import fc from 'fast-check';
import {
  attribute,
  block,
  formatHcl,
  formatHclValue,
  hclStringIssue,
  isHclIdentifier,
  quoteHclString,
  traversal,
} from './hcl';
import { evaluatedString } from '../__testUtils__/hcl2json';

async function roundTrip(value: string): Promise<string> {
  const json = await parse('value.tf', `value = ${quoteHclString(value)}\n`);
  return evaluatedString(json.value);
}

describe('quoteHclString', () => {
  it.each([
    ['plain', 'payments-api', '"payments-api"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['newline, return, tab', 'a\nb\rc\td', '"a\\nb\\rc\\td"'],
    ['interpolation', '${var.secret}', '"$${var.secret}"'],
    ['directive', '%{ if true }x%{ endif }', '"%%{ if true }x%%{ endif }"'],
    ['an escape already', '$${x}', '"$$${x}"'],
    [
      'GitHub Actions syntax',
      '${{ secrets.TOKEN }}',
      '"$${{ secrets.TOKEN }}"',
    ],
    ['lone $ and %', '100% $5 {x}', '"100% $5 {x}"'],
    [
      'line separators',
      'a\u2028b\u2029c\u0085d',
      '"a\\u2028b\\u2029c\\u0085d"',
    ],
    ['NUL and DEL', '\u0000\u007f', '"\\u0000\\u007f"'],
    ['bidi override', 'a\u202eb', '"a\\u202eb"'],
    ['astral format character', 'a\u{e0001}b', '"a\\U000e0001b"'],
    ['emoji and accents', 'café 😀', '"café 😀"'],
  ])('escapes %s', async (_, value, literal) => {
    expect(quoteHclString(value)).toBe(literal);
    await expect(roundTrip(value)).resolves.toBe(value);
  });

  it('round-trips any string HCL can hold', async () => {
    const piece = fc.oneof(
      fc.constantFrom('${', '%{', '$${', '%%{', '$', '%', '{', '}', '"', '\\'),
      fc.constantFrom('\n', '\r', '\t', '\u2028', '\u2029', '\u0000', '😀'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(piece, { maxLength: 12 })
          .map(pieces => pieces.join(''))
          .filter(value => hclStringIssue(value) === undefined),
        async value => {
          expect(await roundTrip(value)).toBe(value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses strings HCL cannot read back unchanged', () => {
    expect(() => quoteHclString('e\u0301')).toThrow(/NFC/);
    expect(() => quoteHclString('\ud800')).toThrow(/lone surrogate/);
    expect(hclStringIssue('e\u0301')).toMatch(/NFC/);
    expect(hclStringIssue('\udc00x')).toMatch(/lone surrogate/);
    expect(hclStringIssue('é 😀 \u2028')).toBeUndefined();
  });

  it('knows that HCL really normalizes to NFC, even through escapes', async () => {
    const json = await parse('value.tf', 'value = "e\\u0301"\n');
    expect(json.value).toBe('\u00e9');
  });
});

describe('formatHclValue', () => {
  it('writes numbers, booleans and traversals', () => {
    expect(formatHclValue(42)).toBe('42');
    expect(formatHclValue(-1.5e-7)).toBe('-1.5e-7');
    expect(formatHclValue(1e21)).toBe('1e+21');
    expect(formatHclValue(true)).toBe('true');
    expect(formatHclValue(false)).toBe('false');
    expect(formatHclValue(traversal('var', 'env'))).toBe('var.env');
  });

  it('refuses what HCL cannot hold', () => {
    expect(() => formatHclValue(NaN)).toThrow(TypeError);
    expect(() => formatHclValue(Infinity)).toThrow(TypeError);
    expect(() => formatHclValue(traversal())).toThrow(TypeError);
    expect(() => formatHclValue(traversal('var', 'a.b'))).toThrow(
      /not an identifier/,
    );
    expect(() => formatHclValue(traversal('${x}'))).toThrow(
      /not an identifier/,
    );
  });
});

describe('isHclIdentifier', () => {
  it('accepts identifiers and nothing else', () => {
    for (const name of ['a', '_a', 'cost_center', 'a-b', 'A9']) {
      expect(isHclIdentifier(name)).toBe(true);
    }
    for (const name of ['', '9a', '-a', 'a b', 'a.b', 'a"', 'é', 'a\n']) {
      expect(isHclIdentifier(name)).toBe(false);
    }
  });
});

describe('formatHcl', () => {
  it('writes blocks with aligned attributes and nested blocks', () => {
    const text = formatHcl([
      attribute('top', 1),
      block(
        'module',
        ['db'],
        [
          attribute('source', './db'),
          attribute('cost_center', 'CC-1'),
          attribute('env', traversal('var', 'env')),
          block('lifecycle', [], []),
          attribute('enabled', true),
        ],
      ),
      block('terraform', [], [attribute('required_version', '>= 1.5.0')]),
    ]);
    expect(text).toBe(
      [
        'top = 1',
        '',
        'module "db" {',
        '  source      = "./db"',
        '  cost_center = "CC-1"',
        '  env         = var.env',
        '',
        '  lifecycle {}',
        '',
        '  enabled = true',
        '}',
        '',
        'terraform {',
        '  required_version = ">= 1.5.0"',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('writes what hcl2json reads back as the same structure', async () => {
    const hostile =
      'x" }\nresource "null_resource" "pwn" {\n  y = "${file("/etc/passwd")}';
    const text = formatHcl([
      block(
        'module',
        ['a"b${c}\n'],
        [
          attribute('value', hostile),
          attribute('count', 3),
          attribute('on', false),
          attribute('env', traversal('var', 'env')),
        ],
      ),
    ]);
    const json = await parse('main.tf', text);
    expect(Object.keys(json)).toEqual(['module']);
    // Block labels come back as plain values: hcl2json only re-escapes attribute strings.
    expect(Object.keys(json.module)).toEqual(['a"b${c}\n']);
    const [body] = json.module['a"b${c}\n'];
    expect(Object.keys(body).sort()).toEqual(['count', 'env', 'on', 'value']);
    expect(evaluatedString(body.value)).toBe(hostile);
    expect(body.count).toBe(3);
    expect(body.on).toBe(false);
    expect(body.env).toBe('${var.env}');
  });

  it('refuses names that are not identifiers and attributes set twice', () => {
    expect(() => formatHcl([attribute('a b', 1)])).toThrow(/not an identifier/);
    expect(() => formatHcl([block('x y', [], [])])).toThrow(
      /not an identifier/,
    );
    expect(() => formatHcl([block('m', ['e\u0301'], [])])).toThrow(/NFC/);
    expect(() =>
      formatHcl([block('m', [], [attribute('a', 1), attribute('a', 2)])]),
    ).toThrow(/set twice/);
  });
});
