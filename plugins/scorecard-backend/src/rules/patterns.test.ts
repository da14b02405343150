import { matchesPattern, patternProblem } from './patterns';

describe('patterns', () => {
  it('matches as JavaScript does for what RE2 accepts', () => {
    const cases: Array<[string, string[]]> = [
      ['^P[A-Z0-9]{5,13}$', ['PABC123', 'pabc123', 'PABC', 'xPABC123']],
      ['^CC-[0-9]{4}$', ['CC-1001', 'CC-10010', 'cc-1001']],
      ['^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$', ['org/repo', 'org/', 'a/b/c']],
      ['^\\p{L}{1,20}$', ['Zürich', 'ÅngströmÖl', 'x1', '']],
      ['^(?<org>[a-z]+)/\\d+$', ['abc/12', 'abc/x']],
      ['team|squad', ['my-team', 'Squad', 'a squad']],
      ['^(a+)+$', ['aaa', 'aab']],
    ];
    for (const [pattern, values] of cases) {
      expect(patternProblem(pattern)).toBeUndefined();
      for (const value of values) {
        expect([pattern, value, matchesPattern(pattern, value)]).toEqual([
          pattern,
          value,
          new RegExp(pattern, 'u').test(value),
        ]);
      }
    }
  });

  it('answers at once where a backtracking engine would not', () => {
    // JavaScript's engine would try 2^40 ways before saying no
    expect(matchesPattern('^(a+)+$', `${'a'.repeat(40)}!`)).toBe(false);
    expect(matchesPattern('^(.*.*)*Z$', 'x'.repeat(10_000))).toBe(false);
  });

  it('refuses what needs backtracking, naming RE2s reason', () => {
    expect(patternProblem('^(?=a)a*$')).toBe(
      'is not a pattern RE2 accepts (no lookahead, lookbehind or backreferences): invalid perl operator: (?=',
    );
    expect(patternProblem('^(a)\\1$')).toContain(
      'invalid escape sequence: \\1',
    );
    expect(patternProblem('^[a-z')).toContain('missing ]');
  });

  it('refuses a short pattern that would compile to megabytes', () => {
    // 441 characters; RE2 would compile 40 × 999 copies of a class spanning Unicode
    const counted = `${'[^Z]{1,999}'.repeat(40)}Z`;
    expect(patternProblem(counted)).toBe(
      'needs more than 2 MB once compiled: use fewer or smaller counted repetitions ({m,n} copies what it repeats n times)',
    );
    expect(patternProblem('(\\pL|\\pN){1,300}!')).toContain(
      'needs more than 2 MB once compiled',
    );
    expect(() => matchesPattern(counted, 'x')).toThrow(
      /needs more than 2 MB once compiled/,
    );
    // the same idea at a size guardrails use
    expect(patternProblem(`${'[^/]{1,20}/'.repeat(5)}`)).toBeUndefined();
  });

  it('refuses a pattern over 500 characters before compiling it', () => {
    expect(patternProblem('a'.repeat(501))).toBe(
      'is 501 characters long; the most a pattern may have is 500',
    );
    expect(patternProblem('a'.repeat(500))).toBeUndefined();
  });
});
