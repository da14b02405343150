import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** A full entity reference in lower case: the key results and exemptions are stored by. */
export function entityKey(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** Parses a reference given by a caller; the kind must be there, the namespace may not. */
export function parseCallerRef(ref: string, field: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLocaleLowerCase('en-US');
  } catch (e) {
    throw new InputError(
      `Invalid ${field} '${ref}': ${
        (e as Error).message
      }, expected kind:namespace/name`,
    );
  }
}
