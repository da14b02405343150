/** A field of an object that was never read, where other fields of that object were. */
export type UnreadField = {
  /** JSON pointer of the object holding the field ('' for the root). */
  path: string;
  key: string;
};

/**
 * Wraps `value` so that every property read, however deep, is recorded. Compiled schema
 * validators read every property their schema declares (present or not) and every key of
 * a map, so after validating the watched value, a field never read in an object where
 * some were read is one the schema does not know; an object where none were read is
 * free-form and keeps any field. This is how we validate strictly with validators that
 * let unknown fields through (Kubernetes prunes them silently).
 */
export function watchFieldReads(value: unknown): {
  watched: unknown;
  unreadFields(): UnreadField[];
} {
  const reads = new Map<object, { path: string; keys: Set<PropertyKey> }>();
  const proxies = new WeakMap<object, object>();
  const watch = (target: unknown, path: string): unknown => {
    if (!target || typeof target !== 'object') {
      return target;
    }
    const known = proxies.get(target);
    if (known) {
      return known;
    }
    const keys = new Set<PropertyKey>();
    if (!Array.isArray(target)) {
      reads.set(target, { path, keys });
    }
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        keys.add(key);
        return watch(
          Reflect.get(object, key, receiver),
          `${path}/${String(key)}`,
        );
      },
      has(object, key) {
        keys.add(key);
        return Reflect.has(object, key);
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return {
    watched: watch(value, ''),
    unreadFields() {
      const unread: UnreadField[] = [];
      for (const [object, { path, keys }] of reads) {
        if (keys.size > 0) {
          for (const key of Object.keys(object).filter(k => !keys.has(k))) {
            unread.push({ path, key });
          }
        }
      }
      return unread;
    },
  };
}
