import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * hcl2json answers in Terraform's JSON syntax, where every string is itself a template:
 * it evaluates a literal and escapes `${` and `%{` in the result again, as `$${` and
 * `%%{` (`escapeLiteral` in tmccombs/hcl2json). Undoing exactly that gives the value HCL
 * evaluated; re-escaping must give the answer back, or the string came from an
 * interpolation rather than a literal.
 */
export function evaluatedString(raw: unknown): string {
  expect(typeof raw).toBe('string');
  // Replacement functions, as `$` is special in a replacement string.
  const value = (raw as string)
    .replace(/\$\$\{/g, () => '${')
    .replace(/%%\{/g, () => '%{');
  const reescaped = value
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
  expect(reescaped).toBe(raw);
  return value;
}

/** Every entry under a directory (files, directories, links), without following links. */
export async function listTree(root: string, prefix = ''): Promise<string[]> {
  const entries: string[] = [];
  for (const entry of await fs.readdir(path.join(root, prefix), {
    withFileTypes: true,
  })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    entries.push(relative);
    if (entry.isDirectory()) {
      entries.push(...(await listTree(root, relative)));
    }
  }
  return entries.sort();
}
