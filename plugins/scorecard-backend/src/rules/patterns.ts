import { LRUCache } from 'lru-cache';
import RE2 from 're2';

/**
 * The longest pattern a rule may hold. Guardrail patterns are short (a slug, an id, a
 * URL prefix); a longer one is a mistake or an attack, and compiling it costs memory.
 *
 * @public
 */
export const MAX_PATTERN_LENGTH = 500;

/**
 * The memory one compiled pattern may use, its program and its matcher's cache together.
 * Counted repetitions copy what they repeat (`[^/]{1,999}` is 999 copies of a class that
 * spans Unicode), so a short pattern can compile to megabytes, which takes RE2 seconds on
 * the event loop; within this budget a pattern compiles, or is refused, in milliseconds.
 * Guardrail patterns need a few kilobytes.
 *
 * @public
 */
export const PATTERN_MEMORY_BYTES = 2 * 1024 * 1024;

type CompiledPattern = InstanceType<typeof RE2.Set>;

// Rules from config are a few dozen patterns; previews add one each. The cache holds at
// most 64 × PATTERN_MEMORY_BYTES however many distinct patterns previews send.
const compiled = new LRUCache<string, CompiledPattern>({ max: 64 });

// The compiled pattern, or what is wrong with it in a sentence. A set of one pattern is
// RE2's only interface that takes a memory budget.
function compile(pattern: string): CompiledPattern | string {
  const cached = compiled.get(pattern);
  if (cached) {
    return cached;
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `is ${pattern.length} characters long; the most a pattern may have is ${MAX_PATTERN_LENGTH}`;
  }
  try {
    const re = new RE2.Set([pattern], 'u', { maxMem: PATTERN_MEMORY_BYTES });
    compiled.set(pattern, re);
    return re;
  } catch (e) {
    const error = e as Error;
    // by name: the addon's SyntaxError may come from another realm (jest's, for one)
    return error.name === 'SyntaxError'
      ? `is not a pattern RE2 accepts (no lookahead, lookbehind or backreferences): ${error.message}`
      : `needs more than ${
          PATTERN_MEMORY_BYTES / 1024 / 1024
        } MB once compiled: use fewer or smaller counted repetitions ({m,n} copies what it repeats n times)`;
  }
}

/**
 * What is wrong with a pattern, in a sentence; undefined when it can be used.
 *
 * Patterns run on RE2, a linear-time engine: JavaScript's syntax without the features that
 * need backtracking (lookahead, lookbehind, backreferences). A pattern using those is
 * refused, never run on the backtracking engine; so is one that needs more than
 * {@link PATTERN_MEMORY_BYTES} compiled.
 *
 * @public
 */
export function patternProblem(pattern: string): string | undefined {
  const re = compile(pattern);
  return typeof re === 'string' ? re : undefined;
}

/**
 * Whether `value` matches `pattern`, in time linear in the length of the value; undefined
 * when RE2 gives up within the pattern's memory budget. Throws for a pattern
 * {@link patternProblem} refuses: rules are validated before they run.
 *
 * @public
 */
export function matchesPattern(
  pattern: string,
  value: string,
): boolean | undefined {
  const re = compile(pattern);
  if (typeof re === 'string') {
    throw new TypeError(`Pattern ${JSON.stringify(pattern)} ${re}`);
  }
  try {
    return re.test(value);
  } catch {
    // "RE2.Set matching failed: out of memory": the matcher's cache could not hold the
    // states this value needs; no answer rather than a wrong one.
    return undefined;
  }
}
