/**
 * Helpers every Paved Road package shares, so that each rule is written once: how bad
 * input becomes an `InputError` naming the field, how an entity reference becomes the key
 * we store and compare, and the name patterns Kubernetes and Argo CD impose.
 *
 * @packageDocumentation
 */

export * from './input';
export * from './entityKey';
export * from './names';
export * from './text';
export * from './fieldReads';
