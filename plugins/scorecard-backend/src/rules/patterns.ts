import { LRUCache } from 'lru-cache';
import RE2 from 're2';

/**
 * The longest pattern a rule may hold. Guardrail patterns are short (a slug, an id, a
 * URL prefix); a longer one is a mistake or an attack, and compiling it costs memory.
 *
 * @public
 */
export const MAX_PATTERN_LENGTH = 500;

// Rules from config are a few dozen patterns; previews add one each. A bounded cache keeps
// the hot ones compiled without letting distinct patterns grow the heap without end.
const compiled = new LRUCache<string, RE2>({ max: 256 });

// The compiled pattern, or what is wrong with it in a sentence.
function compile(pattern: string): RE2 | string {
  const cached = compiled.get(pattern);
  if (cached) {
    return cached;
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `is ${pattern.length} characters long; the most a pattern may have is ${MAX_PATTERN_LENGTH}`;
  }
  try {
    const re = new RE2(pattern, 'u');
    compiled.set(pattern, re);
    return re;
  } catch (e) {
    return `is not a pattern RE2 accepts (no lookahead, lookbehind or backreferences): ${
      (e as Error).message
    }`;
  }
}

/**
 * What is wrong with a pattern, in a sentence; undefined when it can be used.
 *
 * Patterns run on RE2, a linear-time engine: JavaScript's syntax without the features that
 * need backtracking (lookahead, lookbehind, backreferences). A pattern using those is
 * refused, never run on the backtracking engine.
 *
 * @public
 */
export function patternProblem(pattern: string): string | undefined {
  const re = compile(pattern);
  return typeof re === 'string' ? re : undefined;
}

/**
 * Whether `value` matches `pattern`, in time linear in the length of the value. Throws
 * for a pattern {@link patternProblem} refuses: rules are validated before they run.
 *
 * @public
 */
export function matchesPattern(pattern: string, value: string): boolean {
  const re = compile(pattern);
  if (typeof re === 'string') {
    throw new TypeError(`Pattern ${JSON.stringify(pattern)} ${re}`);
  }
  return re.test(value);
}
