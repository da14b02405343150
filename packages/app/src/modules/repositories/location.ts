/** What a repository page shows, read from the rest of its URL (GitHub's layout). */
export type RepositoryView =
  | { kind: 'tree' | 'blob'; ref: string; path: string }
  | { kind: 'compare'; branch: string }
  | { kind: 'branches' }
  | { kind: 'unknown' };

/**
 * `tree/<ref>/<path>`, `blob/<ref>/<path>`, `compare/<branch>`, `branches`, or nothing
 * (the default branch's root). A branch name may hold slashes
 * (`infra/database-production`), so the ref is the longest branch that starts the rest,
 * as GitHub reads it; otherwise its first name (a commit id).
 */
export function parseView(
  rest: string,
  branches: string[],
  defaultBranch: string,
): RepositoryView {
  const trimmed = rest.replace(/\/+$/, '');
  if (trimmed === '') {
    return { kind: 'tree', ref: defaultBranch, path: '' };
  }
  if (trimmed === 'branches') {
    return { kind: 'branches' };
  }
  const [kind, ...names] = trimmed.split('/');
  const remainder = names.join('/');
  if (kind === 'compare' && remainder) {
    return { kind: 'compare', branch: remainder };
  }
  if ((kind === 'tree' || kind === 'blob') && remainder) {
    const branch = branches
      .filter(b => remainder === b || remainder.startsWith(`${b}/`))
      .sort((a, b) => b.length - a.length)[0];
    const ref = branch ?? names[0];
    return { kind, ref, path: remainder.slice(ref.length + 1) };
  }
  return { kind: 'unknown' };
}

/** A ref or path as URL segments: each name encoded, the slashes kept. */
export function segments(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}
