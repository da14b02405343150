import { tryEntityKey } from '@internal/paved-road-common';

/** A team as a full group reference in lower case; undefined when it is not one. */
export function teamRef(value: string): string | undefined {
  const ref = tryEntityKey(value, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  return ref?.startsWith('group:') ? ref : undefined;
}
