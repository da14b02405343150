import { InputError } from '@backstage/errors';
import {
  CONTROL_CHARACTERS_MESSAGE,
  entityKey,
  hasControlCharacters,
} from '@internal/paved-road-common';

// Results and exemptions are stored by `entityKey`: the full reference in lower case.
export { entityKey };

/** Parses a reference given by a caller; the kind must be there, the namespace may not. */
export function parseCallerRef(ref: string, field: string): string {
  // PostgreSQL refuses NUL in text where SQLite would look it up: refused alike here.
  if (hasControlCharacters(ref)) {
    throw new InputError(`Invalid ${field}: ${CONTROL_CHARACTERS_MESSAGE}`);
  }
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
