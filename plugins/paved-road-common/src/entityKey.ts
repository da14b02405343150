import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The key we store and compare entities by: the full reference in lower case, like
 * `component:default/payments-api`, as the catalog compares them. Takes an entity, a
 * parsed reference or a reference string in any of its short forms, completed with
 * `defaults`. Throws the catalog model's error for a string that is not a reference.
 *
 * @public
 */
export function entityKey(
  ref: string | Entity | CompoundEntityRef,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string {
  const parsed = typeof ref === 'string' ? parseEntityRef(ref, defaults) : ref;
  return stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
}

/**
 * {@link entityKey}, or undefined for something that is not an entity reference.
 *
 * @public
 */
export function tryEntityKey(
  ref: unknown,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string | undefined {
  if (typeof ref !== 'string' || ref.trim() === '') {
    return undefined;
  }
  try {
    return entityKey(ref, defaults);
  } catch {
    return undefined;
  }
}
