import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

// Kinds, namespaces, names and link types are ASCII, where toLowerCase is exact and fast.
export const lower = (s: string) => s.toLowerCase();

// A well-formed reference in any of its short forms: [kind:][namespace/]name.
const SIMPLE_REF = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/;

const segmentsByPath = new Map<string, string[]>();

/** The value at a dot path like `spec.lifecycle`; undefined when any step is missing. */
export function valueAt(entity: Entity, path: string): unknown {
  let segments = segmentsByPath.get(path);
  if (!segments) {
    segments = path.split('.');
    segmentsByPath.set(path, segments);
  }
  let value: unknown = entity;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

export function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** The annotation's value, or undefined when it is absent or blank. */
export function annotation(entity: Entity, name: string): string | undefined {
  const value = entity.metadata.annotations?.[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** A full reference in lower case, or what is wrong with the one given. */
export type Resolved = string | { problem: string };

/**
 * Resolves one reference the way the catalog does: a missing kind is `targetKind`, a
 * missing namespace the entity's own. The result is a full reference in lower case.
 */
export function resolveRef(
  entity: Entity,
  field: string,
  ref: unknown,
  targetKind: string,
): Resolved {
  if (typeof ref !== 'string' || ref.trim() === '') {
    return {
      problem: `${field} holds ${JSON.stringify(
        ref,
      )}, not an entity reference.`,
    };
  }
  // The common case, without the catalog's full parser; anything unusual goes to it.
  const simple = SIMPLE_REF.exec(ref);
  if (simple) {
    const [, kind = targetKind, namespace, name] = simple;
    if (kind !== targetKind && lower(kind) !== lower(targetKind)) {
      return {
        problem: `${field} '${ref}' refers to a ${kind}, not a ${targetKind}.`,
      };
    }
    return lower(
      `${kind}:${namespace ?? entity.metadata.namespace ?? 'default'}/${name}`,
    );
  }
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: targetKind,
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    if (lower(parsed.kind) !== lower(targetKind)) {
      return {
        problem: `${field} '${ref}' refers to a ${parsed.kind}, not a ${targetKind}.`,
      };
    }
    return lower(stringifyEntityRef(parsed));
  } catch (e) {
    return {
      problem: `${field} '${ref}' is not a valid entity reference: ${
        (e as Error).message
      }.`,
    };
  }
}

/** The references a field holds: none, one, or a list. */
export function referencesAt(entity: Entity, field: string): unknown[] {
  const value = valueAt(entity, field);
  if (isEmpty(value)) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * The full reference, in lower case, that a field holding one entity reference points
 * at, like spec.owner to `group:default/payments-team`; undefined when it is not set or
 * not a valid reference of that kind.
 *
 * @public
 */
export function referenceAt(
  entity: Entity,
  field: string,
  targetKind: string,
): string | undefined {
  const [first] = referencesAt(entity, field);
  if (first === undefined) {
    return undefined;
  }
  const resolved = resolveRef(entity, field, first, targetKind);
  return typeof resolved === 'string' ? resolved : undefined;
}
