import { InputError } from '@backstage/errors';
import { hasControlCharacters } from '@internal/paved-road-common';

/** Repository owners and names the portal creates: lowercase letters, digits, dashes. */
export const REPO_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A full commit id, which may name a revision instead of a branch. */
const COMMIT_ID = /^[0-9a-f]{40}$/;

/**
 * A branch name git accepts (`git check-ref-format --branch`), restricted to the
 * characters our branches use, so that nothing reaches git that it could read as an
 * option, a range, a reflog selector or a path.
 */
const BRANCH =
  /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\/\.)(?!.*\.lock(\/|$))[A-Za-z0-9._/-]+(?<![/.])$/;

const MAX_REF = 200;
const MAX_PATH = 1024;

function invalid(field: string, message: string): InputError {
  return new InputError(`Invalid input: field '${field}': ${message}`);
}

/** `value` as a repository owner or name, or a 400 naming `field`. */
export function repositoryName(field: string, value: unknown): string {
  if (
    typeof value !== 'string' ||
    !REPO_NAME.test(value) ||
    value.length > 100
  ) {
    throw invalid(
      field,
      'must be lowercase letters, digits and dashes, starting and ending with a letter or digit',
    );
  }
  return value;
}

/** A ref to read: a branch name or a full commit id. */
export type RevisionName = { kind: 'branch' | 'commit'; name: string };

/** `value` as a branch name or full commit id, or a 400 naming `field`. */
export function revisionName(field: string, value: unknown): RevisionName {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(field, 'is required: a branch name or a commit id');
  }
  if (COMMIT_ID.test(value)) {
    return { kind: 'commit', name: value };
  }
  if (value.length > MAX_REF || !BRANCH.test(value)) {
    throw invalid(
      field,
      "must be a branch name (letters, digits, '.', '_', '-' and '/', no '..') or a full commit id",
    );
  }
  return { kind: 'branch', name: value };
}

/**
 * `value` as a path inside a repository ('' for its root), or a 400 naming `field`:
 * forward slashes, no empty, `.` or `..` segment, no control characters.
 */
export function repositoryPath(field: string, value: unknown): string {
  if (value === undefined || value === '') {
    return '';
  }
  if (typeof value !== 'string') {
    throw invalid(field, 'must be a path in the repository');
  }
  const segments = value.split('/');
  if (
    value.length > MAX_PATH ||
    hasControlCharacters(value) ||
    value.includes('\\') ||
    segments.some(s => s === '' || s === '.' || s === '..')
  ) {
    throw invalid(
      field,
      "must be a relative path in the repository, with '/' between names and no '.' or '..'",
    );
  }
  return value;
}
