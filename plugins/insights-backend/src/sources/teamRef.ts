import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** A team as a full group reference in lower case; undefined when it is not one. */
export function teamRef(value: string): string | undefined {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      return undefined;
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
