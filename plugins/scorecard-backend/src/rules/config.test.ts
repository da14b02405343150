import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readScorecardConfig } from './config';
import { DEFAULT_LEVELS, DEFAULT_RULES } from './defaults';

// The shape ConfigReader takes, without importing @backstage/types.
type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const rule = (overrides: JsonObject = {}): JsonObject => ({
  id: 'runbook',
  title: 'Runbook',
  description: 'A runbook link',
  howToFix: 'Add a link with type runbook',
  appliesTo: { kind: ['Component'] },
  kind: 'linkPresent',
  params: { type: 'runbook' },
  ...overrides,
});

const read = (scorecard: JsonObject) =>
  readScorecardConfig(new ConfigReader({ scorecard }));

describe('readScorecardConfig', () => {
  it('uses the baseline rules, the three default levels and 90 days without config', () => {
    const config = readScorecardConfig(new ConfigReader({}));
    expect(config.rules).toEqual(DEFAULT_RULES);
    expect(config.rules).not.toBe(DEFAULT_RULES);
    expect(config.rules.map(r => r.id)).toEqual([
      'owner-valid',
      'lifecycle',
      'system',
      'on-call',
      'cost-center',
      'runbook',
      'slo',
      'github-slug',
      'argocd-app',
    ]);
    expect(config.levels).toEqual(DEFAULT_LEVELS);
    expect(config.levels.map(l => [l.id, l.rules.length])).toEqual([
      ['bronze', 3],
      ['silver', 6],
      ['gold', 9],
    ]);
    expect(config.exemptionMaxDays).toBe(90);
  });

  it('the default rules and levels, written out as config, are valid', () => {
    // Through JSON, as they would arrive from app-config.yaml.
    const config = read(
      JSON.parse(
        JSON.stringify({ rules: DEFAULT_RULES, levels: DEFAULT_LEVELS }),
      ),
    );
    expect(config.levels).toEqual(DEFAULT_LEVELS);
    expect(config.rules).toEqual(DEFAULT_RULES);
    for (const r of config.rules) {
      expect(r.howToFix.length).toBeGreaterThan(40);
      expect(r.title).not.toBe('');
    }
  });

  it('reads configured rules, levels and exemptionMaxDays', () => {
    const config = read({
      rules: [
        rule(),
        rule({
          id: 'slug',
          kind: 'annotationMatches',
          appliesTo: undefined,
          params: { annotation: 'github.com/project-slug', pattern: '^a/b$' },
        }),
        rule({
          id: 'tier',
          kind: 'specField',
          params: { field: 'spec.tier', values: ['1', '2'] },
        }),
        rule({
          id: 'owner',
          kind: 'relationResolves',
          params: { field: 'spec.owner', targetKind: 'Group' },
        }),
        rule({
          id: 'oncall',
          kind: 'annotationPresent',
          params: { annotation: 'pagerduty/service-id' },
        }),
      ],
      levels: [{ id: 'basic', title: 'Basic', rules: ['runbook', 'slug'] }],
      exemptionMaxDays: 30,
    });
    expect(config.rules).toHaveLength(5);
    expect(config.rules[1]).toEqual({
      id: 'slug',
      title: 'Runbook',
      description: 'A runbook link',
      howToFix: 'Add a link with type runbook',
      appliesTo: {},
      kind: 'annotationMatches',
      params: { annotation: 'github.com/project-slug', pattern: '^a/b$' },
    });
    expect(config.levels).toEqual([
      { id: 'basic', title: 'Basic', rules: ['runbook', 'slug'] },
    ]);
    expect(config.exemptionMaxDays).toBe(30);
  });

  it('accepts day counts from an environment substitution', () => {
    const config = read({
      rules: [rule()],
      levels: [{ id: 'basic', title: 'Basic', rules: ['runbook'] }],
      exemptionMaxDays: '14',
      historyDays: '30',
    });
    expect(config.exemptionMaxDays).toBe(14);
    expect(config.historyDays).toBe(30);
  });

  it('gates deploys on the highest level unless told otherwise', () => {
    expect(read({}).gateLevel).toBe('gold');
    expect(read({ gate: { level: 'silver' } }).gateLevel).toBe('silver');
    expect(read({}).historyDays).toBe(90);
  });

  it('keeps the gate closed while it cannot decide, unless told to let deploys pass', () => {
    expect(read({}).gateOnOutage).toBe('fail');
    expect(read({ gate: { onOutage: 'pass' } }).gateOnOutage).toBe('pass');
    expect(() => read({ gate: { onOutage: 'open' } })).toThrow(
      'Invalid scorecard config field \'scorecard.gate.onOutage\': must be fail or pass, got "open"',
    );
  });

  it('refuses a gate level that is not a level, and no levels at all', () => {
    expect(() => read({ gate: { level: 'platinum' } })).toThrow(
      'Invalid scorecard config field \'scorecard.gate.level\': must be one of the levels bronze, silver, gold, got "platinum"',
    );
    expect(() => read({ rules: [rule()], levels: [] })).toThrow(
      "Invalid scorecard config field 'scorecard.levels': the deploy gate needs at least one level",
    );
  });

  it.each([
    [
      'a missing title',
      [rule({ title: undefined })],
      "Invalid scorecard rule 'runbook' field 'title': must be a non-empty string, got nothing",
    ],
    [
      'an empty description',
      [rule({ description: ' ' })],
      "Invalid scorecard rule 'runbook' field 'description': must be a non-empty string",
    ],
    [
      'a missing howToFix',
      [rule({ howToFix: undefined })],
      "Invalid scorecard rule 'runbook' field 'howToFix'",
    ],
    [
      'a missing id, named by index',
      [rule(), rule({ id: undefined })],
      "Invalid scorecard rule at index 1 field 'id': must be a non-empty string",
    ],
    [
      'an id that is not plain',
      [rule({ id: 'run book' })],
      "Invalid scorecard rule 'run book' field 'id': must be 1 to 63 letters",
    ],
    [
      'a rule that is not an object',
      ['runbook'],
      'Invalid scorecard rule at index 0: must be an object, got "runbook"',
    ],
    [
      'an unknown kind',
      [rule({ kind: 'linkExists' })],
      "Invalid scorecard rule 'runbook' field 'kind': unknown kind 'linkExists', expected one of annotationPresent, annotationMatches, specField, linkPresent, relationResolves",
    ],
    [
      'a missing kind',
      [rule({ kind: undefined })],
      "Invalid scorecard rule 'runbook' field 'kind': must be a non-empty string",
    ],
    [
      'missing params',
      [rule({ params: undefined })],
      "Invalid scorecard rule 'runbook' field 'params': must be an object, got nothing",
    ],
    [
      'a link rule with neither type nor title',
      [rule({ params: {} })],
      "Invalid scorecard rule 'runbook' field 'params.type': give params.type, params.title or both",
    ],
    [
      'a link type that is not a string',
      [rule({ params: { type: 3 } })],
      "Invalid scorecard rule 'runbook' field 'params.type': must be a non-empty string, got 3",
    ],
    [
      'a misspelt parameter',
      [rule({ params: { typ: 'runbook' } })],
      "Invalid scorecard rule 'runbook' field 'params.typ': unknown field, expected one of type, title",
    ],
    [
      'a misspelt rule field',
      [rule({ how_to_fix: 'x' })],
      "Invalid scorecard rule 'runbook' field 'how_to_fix': unknown field",
    ],
    [
      'a bad regular expression',
      [
        rule({
          kind: 'annotationMatches',
          params: { annotation: 'cost-center', pattern: '^CC-[0-9' },
        }),
      ],
      "Invalid scorecard rule 'runbook' field 'params.pattern': is not a pattern RE2 accepts",
    ],
    [
      'a pattern with a backreference, which needs backtracking',
      [
        rule({
          kind: 'annotationMatches',
          params: { annotation: 'cost-center', pattern: '^(a)\\1$' },
        }),
      ],
      "Invalid scorecard rule 'runbook' field 'params.pattern': is not a pattern RE2 accepts (no lookahead, lookbehind or backreferences)",
    ],
    [
      'a pattern longer than 500 characters',
      [
        rule({
          kind: 'annotationMatches',
          params: { annotation: 'cost-center', pattern: 'a'.repeat(501) },
        }),
      ],
      "Invalid scorecard rule 'runbook' field 'params.pattern': is 501 characters long; the most a pattern may have is 500",
    ],
    [
      'an annotation rule without annotation',
      [rule({ kind: 'annotationPresent', params: {} })],
      "Invalid scorecard rule 'runbook' field 'params.annotation': must be a non-empty string",
    ],
    [
      'a spec field rule with an empty set',
      [rule({ kind: 'specField', params: { field: 'spec.tier', values: [] } })],
      "Invalid scorecard rule 'runbook' field 'params.values': must be a non-empty list",
    ],
    [
      'a spec field rule with a non-string value in the set',
      [
        rule({
          kind: 'specField',
          params: { field: 'spec.tier', values: ['a', 2] },
        }),
      ],
      "Invalid scorecard rule 'runbook' field 'params.values[1]': must be a non-empty string, got 2",
    ],
    [
      'a malformed field path',
      [rule({ kind: 'specField', params: { field: 'spec..tier' } })],
      "Invalid scorecard rule 'runbook' field 'params.field': must be a dot path",
    ],
    [
      'a relation rule without targetKind',
      [rule({ kind: 'relationResolves', params: { field: 'spec.owner' } })],
      "Invalid scorecard rule 'runbook' field 'params.targetKind': must be a non-empty string",
    ],
    [
      'appliesTo.kind that is not a list',
      [rule({ appliesTo: { kind: 'Component' } })],
      "Invalid scorecard rule 'runbook' field 'appliesTo.kind': must be a non-empty list, got \"Component\"",
    ],
    [
      'a misspelt appliesTo filter',
      [rule({ appliesTo: { kinds: ['Component'] } })],
      "Invalid scorecard rule 'runbook' field 'appliesTo.kinds': unknown field",
    ],
    [
      'duplicate ids',
      [rule(), rule({ title: 'Again' })],
      "Invalid scorecard rule 'runbook' field 'id': duplicate id, the rules at index 0 and 1 both use it",
    ],
  ])('rejects %s, naming the rule and the field', (_, rules, message) => {
    expect(() => read({ rules, levels: [] })).toThrow(message);
  });

  it('throws InputError', () => {
    expect(() => read({ rules: [rule({ title: '' })], levels: [] })).toThrow(
      InputError,
    );
  });

  it('rejects rules that are not a list', () => {
    expect(() => read({ rules: { runbook: rule() } })).toThrow(
      "Invalid scorecard config field 'scorecard.rules': must be a list of rules, got an object",
    );
  });

  it.each([
    [
      'a level naming an unknown rule',
      [{ id: 'gold', title: 'Gold', rules: ['runbook', 'slo'] }],
      "Invalid scorecard level 'gold' field 'rules[1]': unknown rule 'slo'",
    ],
    [
      'a level without rules',
      [{ id: 'gold', title: 'Gold', rules: [] }],
      "Invalid scorecard level 'gold' field 'rules': must be a non-empty list",
    ],
    [
      'a level listing a rule twice',
      [{ id: 'gold', title: 'Gold', rules: ['runbook', 'runbook'] }],
      "Invalid scorecard level 'gold' field 'rules[1]': rule 'runbook' is listed twice",
    ],
    [
      'a level without title',
      [{ id: 'gold', rules: ['runbook'] }],
      "Invalid scorecard level 'gold' field 'title': must be a non-empty string",
    ],
    [
      'a level without id',
      [{ title: 'Gold', rules: ['runbook'] }],
      "Invalid scorecard level at index 0 field 'id': must be a non-empty string",
    ],
    [
      'duplicate level ids',
      [
        { id: 'gold', title: 'Gold', rules: ['runbook'] },
        { id: 'gold', title: 'Gold 2', rules: ['runbook'] },
      ],
      "Invalid scorecard level 'gold' field 'id': duplicate id, the levels at index 0 and 1 both use it",
    ],
  ])('rejects %s, naming the level and the field', (_, levels, message) => {
    expect(() => read({ rules: [rule()], levels })).toThrow(message);
  });

  it('says why the default levels do not fit configured rules', () => {
    expect(() => read({ rules: [rule()] })).toThrow(
      "Invalid scorecard level 'bronze' field 'rules[0]': unknown rule 'owner-valid' (scorecard.levels is not set, so the default levels apply; set scorecard.levels to match scorecard.rules)",
    );
  });

  it.each([0, -3, 1.5, 'soon'])('rejects exemptionMaxDays %p', days => {
    expect(() => read({ exemptionMaxDays: days })).toThrow(
      "Invalid scorecard config field 'scorecard.exemptionMaxDays': must be a whole number of days, at least 1",
    );
    expect(() => read({ historyDays: days })).toThrow(
      "Invalid scorecard config field 'scorecard.historyDays': must be a whole number of days, at least 1",
    );
  });
});
