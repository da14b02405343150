import { InputError } from '@backstage/errors';
import { entityKey } from '@internal/paved-road-common';

// Results and exemptions are stored by `entityKey`: the full reference in lower case.
export { entityKey };

/** Parses a reference given by a caller; the kind must be there, the namespace may not. */
export function parseCallerRef(ref: string, field: string): string {
  try {
    return entityKey(ref);
  } catch (e) {
    throw new InputError(
      `Invalid ${field} '${ref}': ${
        (e as Error).message
      }, expected kind:namespace/name`,
    );
  }
}
