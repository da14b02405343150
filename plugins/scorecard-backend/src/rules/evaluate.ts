import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  Exemption,
  RuleResult,
  ScorecardLevel,
  ScorecardRule,
} from '@internal/plugin-scorecard-common';
import { matchesPattern } from './patterns';

/**
 * What rule evaluation needs to know beyond the entity itself. The caller builds it from
 * the catalog, which keeps evaluation pure.
 *
 * @public
 */
export interface EvaluationContext {
  /**
   * Whether an entity exists in the catalog. `ref` is a full entity reference in lower
   * case, like `group:default/payments-team`.
   */
  entityExists(ref: string): boolean;
}

// Kinds, namespaces, names and link types are ASCII, where toLowerCase is exact and fast.
const lower = (s: string) => s.toLowerCase();

// A well-formed reference in any of its short forms: [kind:][namespace/]name.
const SIMPLE_REF = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/;

function matchesAny(value: unknown, candidates: string[] | undefined) {
  if (!candidates || candidates.length === 0) {
    return true;
  }
  return (
    typeof value === 'string' &&
    candidates.some(
      candidate => candidate === value || lower(candidate) === lower(value),
    )
  );
}

/**
 * Whether a rule applies to an entity: its kind and its spec.type are among those of
 * `appliesTo`, compared case-insensitively; an absent or empty list matches everything.
 *
 * @public
 */
export function ruleAppliesTo(rule: ScorecardRule, entity: Entity): boolean {
  return (
    matchesAny(entity.kind, rule.appliesTo.kind) &&
    matchesAny(entity.spec?.type, rule.appliesTo.type)
  );
}

// What evaluating a rule needs beyond its config, worked out once per rule object.
type Prepared = {
  kinds?: Set<string>;
  types?: Set<string>;
  fixSuffix: string;
  pass: RuleResult;
};
const preparedRules = new WeakMap<ScorecardRule, Prepared>();

function prepare(rule: ScorecardRule): Prepared {
  let prepared = preparedRules.get(rule);
  if (!prepared) {
    const set = (values?: string[]) =>
      values?.length ? new Set(values.map(lower)) : undefined;
    prepared = {
      kinds: set(rule.appliesTo.kind),
      types: set(rule.appliesTo.type),
      fixSuffix: ` How to fix: ${rule.howToFix}`,
      // Results are never mutated, so passing entities can share one.
      pass: Object.freeze({
        ruleId: rule.id,
        outcome: 'pass',
        message: passMessage(rule),
      }),
    };
    preparedRules.set(rule, prepared);
  }
  return prepared;
}

const segmentsByPath = new Map<string, string[]>();

function valueAt(entity: Entity, path: string): unknown {
  let segments = segmentsByPath.get(path);
  if (!segments) {
    segments = path.split('.');
    segmentsByPath.set(path, segments);
  }
  let value: unknown = entity;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function annotation(entity: Entity, name: string): string | undefined {
  const value = entity.metadata.annotations?.[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

// A full reference in lower case, or what is wrong with the one given.
type Resolved = string | { problem: string };

// Resolves one reference the way the catalog does: a missing kind is `targetKind`, a
// missing namespace the entity's own. The result is a full reference in lower case.
function resolveRef(
  entity: Entity,
  field: string,
  ref: unknown,
  targetKind: string,
): Resolved {
  if (typeof ref !== 'string' || ref.trim() === '') {
    return {
      problem: `${field} holds ${JSON.stringify(
        ref,
      )}, not an entity reference.`,
    };
  }
  // The common case, without the catalog's full parser; anything unusual goes to it.
  const simple = SIMPLE_REF.exec(ref);
  if (simple) {
    const [, kind = targetKind, namespace, name] = simple;
    if (kind !== targetKind && lower(kind) !== lower(targetKind)) {
      return {
        problem: `${field} '${ref}' refers to a ${kind}, not a ${targetKind}.`,
      };
    }
    return lower(
      `${kind}:${namespace ?? entity.metadata.namespace ?? 'default'}/${name}`,
    );
  }
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: targetKind,
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    if (lower(parsed.kind) !== lower(targetKind)) {
      return {
        problem: `${field} '${ref}' refers to a ${parsed.kind}, not a ${targetKind}.`,
      };
    }
    return lower(stringifyEntityRef(parsed));
  } catch (e) {
    return {
      problem: `${field} '${ref}' is not a valid entity reference: ${
        (e as Error).message
      }.`,
    };
  }
}

function referencesAt(entity: Entity, field: string): unknown[] {
  const value = valueAt(entity, field);
  if (isEmpty(value)) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * The entities a `relationResolves` rule would look up for this entity, as full
 * references in lower case: what {@link EvaluationContext.entityExists} will be asked.
 *
 * @public
 */
export function relationTargets(
  entity: Entity,
  rules: ScorecardRule[],
): string[] {
  const targets = new Set<string>();
  for (const rule of rules) {
    if (rule.kind !== 'relationResolves' || !ruleAppliesTo(rule, entity)) {
      continue;
    }
    const { field, targetKind } = rule.params;
    for (const ref of referencesAt(entity, field)) {
      const resolved = resolveRef(entity, field, ref, targetKind);
      if (typeof resolved === 'string') {
        targets.add(resolved);
      }
    }
  }
  return [...targets];
}

/**
 * The full reference, in lower case, that a field holding one entity reference points
 * at, like spec.owner to `group:default/payments-team`; undefined when it is not set or
 * not a valid reference of that kind.
 *
 * @public
 */
export function referenceAt(
  entity: Entity,
  field: string,
  targetKind: string,
): string | undefined {
  const [first] = referencesAt(entity, field);
  if (first === undefined) {
    return undefined;
  }
  const resolved = resolveRef(entity, field, first, targetKind);
  return typeof resolved === 'string' ? resolved : undefined;
}

// What is wrong with the references in the field; undefined when all resolve.
function relationProblem(
  entity: Entity,
  field: string,
  targetKind: string,
  context: EvaluationContext,
): string | undefined {
  const value = valueAt(entity, field);
  if (isEmpty(value)) {
    return `${field} is not set.`;
  }
  for (const ref of Array.isArray(value) ? value : [value]) {
    const target = resolveRef(entity, field, ref, targetKind);
    if (typeof target !== 'string') {
      return target.problem;
    }
    if (!context.entityExists(target)) {
      return `${field} '${ref}' names ${target}, which does not exist in the catalog.`;
    }
  }
  return undefined;
}

function wantedLink(type?: string, title?: string): string {
  if (type && title) {
    return `type '${type}' and title '${title}'`;
  }
  return type ? `type '${type}'` : `title '${title}'`;
}

/**
 * The message of a passing rule: the same for every entity, so evaluating the many
 * entities that pass allocates nothing for it.
 */
function passMessage(rule: ScorecardRule): string {
  switch (rule.kind) {
    case 'annotationPresent':
      return `Annotation ${rule.params.annotation} is set.`;
    case 'annotationMatches':
      return `Annotation ${rule.params.annotation} matches ${rule.params.pattern}.`;
    case 'specField':
      return rule.params.values
        ? `${rule.params.field} is one of ${rule.params.values.join(', ')}.`
        : `${rule.params.field} is set.`;
    case 'linkPresent':
      return `A link has ${wantedLink(rule.params.type, rule.params.title)}.`;
    case 'relationResolves':
      return `${rule.params.field} names an existing ${rule.params.targetKind}.`;
    default:
      return 'Passes.';
  }
}

/** What the entity lacks for the rule, in one sentence; undefined when it passes. */
function failure(
  rule: ScorecardRule,
  entity: Entity,
  context: EvaluationContext,
): string | undefined {
  switch (rule.kind) {
    case 'annotationPresent': {
      const name = rule.params.annotation;
      return annotation(entity, name) === undefined
        ? `Annotation ${name} is missing.`
        : undefined;
    }
    case 'annotationMatches': {
      const { annotation: name, pattern } = rule.params;
      const value = annotation(entity, name);
      if (value === undefined) {
        return `Annotation ${name} is missing.`;
      }
      return matchesPattern(pattern, value)
        ? undefined
        : `Annotation ${name} is '${value}', which does not match ${pattern}.`;
    }
    case 'specField': {
      const { field, values } = rule.params;
      const value = valueAt(entity, field);
      if (isEmpty(value)) {
        return `${field} is not set.`;
      }
      if (values && !(typeof value === 'string' && values.includes(value))) {
        return `${field} is ${JSON.stringify(
          value,
        )}, expected one of ${values.join(', ')}.`;
      }
      return undefined;
    }
    case 'linkPresent': {
      const { type, title } = rule.params;
      const links = entity.metadata.links;
      if (links) {
        for (const l of links) {
          if (
            (!type ||
              (l.type !== undefined && lower(l.type) === lower(type))) &&
            (!title ||
              (l.title !== undefined && lower(l.title) === lower(title)))
          ) {
            return undefined;
          }
        }
      }
      return `No link with ${wantedLink(type, title)}.`;
    }
    case 'relationResolves':
      return relationProblem(
        entity,
        rule.params.field,
        rule.params.targetKind,
        context,
      );
    default:
      throw new Error(
        `Unknown kind '${(rule as ScorecardRule).kind}' of scorecard rule '${
          (rule as ScorecardRule).id
        }'`,
      );
  }
}

/**
 * Evaluates the rules that apply to an entity, in the order given. A failing result says
 * what is missing, then how to fix it.
 *
 * @public
 */
export function evaluateEntity(
  entity: Entity,
  rules: ScorecardRule[],
  context: EvaluationContext,
): RuleResult[] {
  const results: RuleResult[] = [];
  // Kind and type once per entity, not once per rule.
  const kind = lower(entity.kind);
  const type =
    typeof entity.spec?.type === 'string' ? lower(entity.spec.type) : undefined;
  for (const rule of rules) {
    const { kinds, types, fixSuffix, pass } = prepare(rule);
    if (
      (kinds && !kinds.has(kind)) ||
      (types && (type === undefined || !types.has(type)))
    ) {
      continue;
    }
    const problem = failure(rule, entity, context);
    results.push(
      problem === undefined
        ? pass
        : { ruleId: rule.id, outcome: 'fail', message: problem + fixSuffix },
    );
  }
  return results;
}

function normalizeRef(ref: string): string | undefined {
  try {
    return lower(stringifyEntityRef(parseEntityRef(ref)));
  } catch {
    return undefined;
  }
}

/**
 * Turns the failing results of one entity into `exempt` where an exemption for that rule
 * and entity is still running at `now`. An exemption applies up to, not including, its
 * `expiresAt`, after which it stops applying by itself; one with an unreadable `expiresAt`
 * never applies. Passing results stay as they are.
 *
 * @public
 */
export function applyExemptions(
  entityRef: string,
  results: RuleResult[],
  exemptions: Exemption[],
  now: Date,
): RuleResult[] {
  const ref = normalizeRef(entityRef);
  const running = exemptions.filter(exemption => {
    const expiresAt = Date.parse(exemption.expiresAt);
    return (
      ref !== undefined &&
      normalizeRef(exemption.entityRef) === ref &&
      !Number.isNaN(expiresAt) &&
      now.getTime() < expiresAt
    );
  });
  return results.map(result => {
    if (result.outcome !== 'fail') {
      return result;
    }
    // With several running exemptions, the one lasting longest is the one that matters.
    const exemption = running
      .filter(e => e.ruleId === result.ruleId)
      .sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt))[0];
    if (!exemption) {
      return result;
    }
    const approvedBy = exemption.approvedBy
      ? `, approved by ${exemption.approvedBy}`
      : '';
    return {
      ruleId: result.ruleId,
      outcome: 'exempt',
      message: `Exempt until ${new Date(
        Date.parse(exemption.expiresAt),
      ).toISOString()}${approvedBy}: ${
        exemption.reason
      }. Without the exemption: ${result.message}`,
    };
  });
}

/**
 * The level an entity reaches, given its (exempted) results: levels are a ladder, in the
 * order configured, lowest first, and the entity climbs while every rule of a level passes
 * or is exempt; the first level it misses stops it, even when a higher one would be
 * satisfied on its own.
 *
 * A rule of a level that does not apply to the entity (it has no result) counts as
 * satisfied, so a level made only of such rules is reached as soon as the one below is.
 * An entity to which no rule applies at all (no results) reaches no level: the scorecard
 * says nothing about it.
 *
 * @public
 */
export function levelOf(
  results: RuleResult[],
  levels: ScorecardLevel[],
): string | undefined {
  if (results.length === 0) {
    return undefined;
  }
  // Most entities fail few rules or none; look only at those.
  const failing: string[] = [];
  for (const result of results) {
    if (result.outcome === 'fail') {
      failing.push(result.ruleId);
    }
  }
  let reached: string | undefined;
  for (const level of levels) {
    if (failing.length > 0 && level.rules.some(id => failing.includes(id))) {
      break;
    }
    reached = level.id;
  }
  return reached;
}
