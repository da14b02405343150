/**
 * An RFC 1123 label, as Kubernetes, Argo CD and our repositories name things: lowercase
 * letters, digits and dashes, starting and ending with a letter or digit, at most 63.
 *
 * @public
 */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * What to tell someone whose name is not a {@link DNS1123_LABEL}.
 *
 * @public
 */
export const DNS1123_LABEL_MESSAGE =
  'must be a DNS-1123 label: lowercase letters, digits and dashes, starting and ending with a letter or digit';

/**
 * Whether `value` is a {@link DNS1123_LABEL} of at most 63 characters.
 *
 * @public
 */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}
