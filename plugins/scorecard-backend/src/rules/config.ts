import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  RuleAppliesTo,
  RuleParams,
  ScorecardLevel,
  ScorecardRule,
} from '@internal/plugin-scorecard-common';
import { ScorecardRuleKind } from '@internal/plugin-scorecard-node';
import { DEFAULT_LEVELS, DEFAULT_RULES } from './defaults';
import { describe, isObject, Reporter } from './reporter';
import { RuleKinds } from './RuleKinds';

/**
 * The scorecard configuration, validated.
 *
 * @public
 */
export interface ScorecardConfig {
  rules: ScorecardRule[];
  /** Lowest first. */
  levels: ScorecardLevel[];
  /** The longest an exemption may last, in days. */
  exemptionMaxDays: number;
  /** The level the deploy gate requires. */
  gateLevel: string;
  /**
   * What the deploy gate answers while it cannot decide (its database or the catalog
   * unreachable): `fail` (503, closed) or `pass` (a pass marked `degraded`, open).
   */
  gateOnOutage: GateOutageMode;
  /** How many days of daily history to keep. */
  historyDays: number;
  /** How many impact previews one user may ask for per minute. */
  previewsPerMinute: number;
}

/**
 * What the deploy gate answers while it cannot decide, `scorecard.gate.onOutage`.
 *
 * @public
 */
export type GateOutageMode = 'fail' | 'pass';

const DEFAULT_EXEMPTION_MAX_DAYS = 90;
const DEFAULT_HISTORY_DAYS = 90;
// A preview reads and evaluates the whole catalog: a person proposing a rule needs a few.
const DEFAULT_PREVIEWS_PER_MINUTE = 10;

const RULE_KEYS = [
  'id',
  'title',
  'description',
  'howToFix',
  'appliesTo',
  'kind',
  'params',
];

// Ids end up in URLs and in exemption records, so they stay plain.
const ID_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/i;

function readParams(
  r: Reporter,
  kind: ScorecardRuleKind,
  raw: unknown,
): RuleParams {
  const params = r.object(raw, 'params');
  r.onlyKeys(params, kind.paramNames, 'params.');
  return kind.readParams(r.paramsReader(params));
}

function readAppliesTo(r: Reporter, raw: unknown): RuleAppliesTo {
  if (raw === undefined) {
    return {};
  }
  const appliesTo = r.object(raw, 'appliesTo');
  r.onlyKeys(appliesTo, ['kind', 'type'], 'appliesTo.');
  const kind = r.optionalStringArray(appliesTo.kind, 'appliesTo.kind');
  const type = r.optionalStringArray(appliesTo.type, 'appliesTo.type');
  return { ...(kind && { kind }), ...(type && { type }) };
}

/**
 * Reads and validates one rule shaped like an entry of `scorecard.rules`, as the impact
 * preview receives it; throws an `InputError` naming the rule and the field. Its kind
 * must be one of `kinds`, the built-in ones by default.
 *
 * @public
 */
export function readScorecardRule(
  raw: unknown,
  options: { index?: number; kinds?: RuleKinds } = {},
): ScorecardRule {
  const { index = 0, kinds = RuleKinds.builtIn() } = options;
  const rawId = isObject(raw) ? raw.id : undefined;
  const r: Reporter = new Reporter(
    typeof rawId === 'string' && rawId.trim() !== ''
      ? `rule '${rawId}'`
      : `rule at index ${index}`,
  );
  if (!isObject(raw)) {
    r.failWhole(`must be an object, got ${describe(raw)}`);
  }
  const rule = raw;
  r.onlyKeys(rule, RULE_KEYS, '');
  const id = r.string(rule.id, 'id');
  if (!ID_PATTERN.test(id)) {
    r.fail(
      'id',
      'must be 1 to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    );
  }
  const title = r.string(rule.title, 'title');
  const description = r.string(rule.description, 'description');
  const howToFix = r.string(rule.howToFix, 'howToFix');
  const appliesTo = readAppliesTo(r, rule.appliesTo);
  const kind = r.string(rule.kind, 'kind');
  const ruleKind = kinds.get(kind);
  if (!ruleKind) {
    r.fail(
      'kind',
      `unknown kind '${kind}', expected one of ${kinds.ids().join(', ')}`,
    );
  }
  const params = readParams(r, ruleKind, rule.params);
  return { id, title, description, howToFix, appliesTo, kind, params };
}

function readRules(raw: unknown, kinds: RuleKinds): ScorecardRule[] {
  if (!Array.isArray(raw)) {
    throw new InputError(
      `Invalid scorecard config field 'scorecard.rules': must be a list of rules, got ${describe(
        raw,
      )}`,
    );
  }
  const rules: ScorecardRule[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of raw.entries()) {
    const rule = readScorecardRule(item, { index, kinds });
    const first = seen.get(rule.id);
    if (first !== undefined) {
      new Reporter(`rule '${rule.id}'`).fail(
        'id',
        `duplicate id, the rules at index ${first} and ${index} both use it`,
      );
    }
    seen.set(rule.id, index);
    rules.push(rule);
  }
  return rules;
}

function readLevel(
  raw: unknown,
  index: number,
  ruleIds: Set<string>,
  usingDefaultLevels: boolean,
): ScorecardLevel {
  const rawId = isObject(raw) ? raw.id : undefined;
  const r: Reporter = new Reporter(
    typeof rawId === 'string' && rawId.trim() !== ''
      ? `level '${rawId}'`
      : `level at index ${index}`,
  );
  if (!isObject(raw)) {
    r.failWhole(`must be an object, got ${describe(raw)}`);
  }
  const level = raw;
  r.onlyKeys(level, ['id', 'title', 'rules'], '');
  const id = r.string(level.id, 'id');
  if (!ID_PATTERN.test(id)) {
    r.fail(
      'id',
      'must be 1 to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    );
  }
  const title = r.string(level.title, 'title');
  const rules = r.stringArray(level.rules, 'rules');
  for (const [i, ruleId] of rules.entries()) {
    if (!ruleIds.has(ruleId)) {
      r.fail(
        `rules[${i}]`,
        `unknown rule '${ruleId}'${
          usingDefaultLevels
            ? ' (scorecard.levels is not set, so the default levels apply; set scorecard.levels to match scorecard.rules)'
            : ''
        }`,
      );
    }
    if (rules.indexOf(ruleId) !== i) {
      r.fail(`rules[${i}]`, `rule '${ruleId}' is listed twice`);
    }
  }
  return { id, title, rules };
}

function readLevels(
  raw: unknown,
  rules: ScorecardRule[],
  usingDefaultLevels: boolean,
): ScorecardLevel[] {
  if (!Array.isArray(raw)) {
    throw new InputError(
      `Invalid scorecard config field 'scorecard.levels': must be a list of levels, got ${describe(
        raw,
      )}`,
    );
  }
  const ruleIds = new Set(rules.map(rule => rule.id));
  const levels: ScorecardLevel[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of raw.entries()) {
    const level = readLevel(item, index, ruleIds, usingDefaultLevels);
    const first = seen.get(level.id);
    if (first !== undefined) {
      new Reporter(`level '${level.id}'`).fail(
        'id',
        `duplicate id, the levels at index ${first} and ${index} both use it`,
      );
    }
    seen.set(level.id, index);
    levels.push(level);
  }
  return levels;
}

function readWholeNumber(
  config: Config,
  key: string,
  fallback: number,
  unit: string,
): number {
  const raw = config.getOptional(key);
  if (raw === undefined) {
    return fallback;
  }
  // Environment substitutions arrive as strings.
  const value =
    typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(
      `Invalid scorecard config field '${key}': must be a whole number of ${unit}, at least 1, got ${describe(
        raw,
      )}`,
    );
  }
  return value;
}

function readGateLevel(config: Config, levels: ScorecardLevel[]): string {
  const key = 'scorecard.gate.level';
  const raw = config.getOptional(key);
  const highest = levels[levels.length - 1]?.id;
  if (raw === undefined) {
    if (!highest) {
      throw new InputError(
        `Invalid scorecard config field 'scorecard.levels': the deploy gate needs at least one level`,
      );
    }
    return highest;
  }
  if (typeof raw !== 'string' || !levels.some(level => level.id === raw)) {
    throw new InputError(
      `Invalid scorecard config field '${key}': must be one of the levels ${levels
        .map(level => level.id)
        .join(', ')}, got ${describe(raw)}`,
    );
  }
  return raw;
}

// Closed unless told otherwise: a deploy the gate could not check does not go out.
function readGateOnOutage(config: Config): GateOutageMode {
  const key = 'scorecard.gate.onOutage';
  const raw = config.getOptional(key);
  if (raw === undefined) {
    return 'fail';
  }
  if (raw !== 'fail' && raw !== 'pass') {
    throw new InputError(
      `Invalid scorecard config field '${key}': must be fail or pass, got ${describe(
        raw,
      )}`,
    );
  }
  return raw;
}

/**
 * Reads and validates `scorecard.rules`, `scorecard.levels`, `scorecard.exemptionMaxDays`,
 * `scorecard.gate.level` (the highest level by default), `scorecard.gate.onOutage`
 * (`fail` by default), `scorecard.historyDays` and `scorecard.preview.perMinute`.
 *
 * Without `scorecard.rules` the baseline {@link DEFAULT_RULES} applies, without
 * `scorecard.levels` the {@link DEFAULT_LEVELS} (bronze, silver, gold), which must then
 * find their rules among the configured ones. Any mistake throws an error naming the rule
 * or level (by id, or by index when the id itself is wrong) and the field, so a bad pull
 * request fails at startup rather than scoring entities wrongly. A rule's kind must be
 * one of `kinds`: the built-in ones unless backend modules added more.
 *
 * @public
 */
export function readScorecardConfig(
  config: Config,
  kinds: RuleKinds = RuleKinds.builtIn(),
): ScorecardConfig {
  const rawRules = config.getOptional('scorecard.rules');
  const rules =
    rawRules === undefined
      ? structuredClone(DEFAULT_RULES)
      : readRules(rawRules, kinds);
  const rawLevels = config.getOptional('scorecard.levels');
  const levels = readLevels(
    rawLevels === undefined ? structuredClone(DEFAULT_LEVELS) : rawLevels,
    rules,
    rawLevels === undefined,
  );
  return {
    rules,
    levels,
    exemptionMaxDays: readWholeNumber(
      config,
      'scorecard.exemptionMaxDays',
      DEFAULT_EXEMPTION_MAX_DAYS,
      'days',
    ),
    gateLevel: readGateLevel(config, levels),
    gateOnOutage: readGateOnOutage(config),
    historyDays: readWholeNumber(
      config,
      'scorecard.historyDays',
      DEFAULT_HISTORY_DAYS,
      'days',
    ),
    previewsPerMinute: readWholeNumber(
      config,
      'scorecard.preview.perMinute',
      DEFAULT_PREVIEWS_PER_MINUTE,
      'previews',
    ),
  };
}
