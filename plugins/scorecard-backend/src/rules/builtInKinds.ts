import { Entity } from '@backstage/catalog-model';
import { RuleParamsByKind } from '@internal/plugin-scorecard-common';
import {
  createScorecardRuleKind,
  EvaluationContext,
  ScorecardRuleKind,
} from '@internal/plugin-scorecard-node';
import {
  annotation,
  isEmpty,
  lower,
  referencesAt,
  resolveRef,
  valueAt,
} from './entityFields';
import { matchesPattern, patternProblem } from './patterns';

// Annotation names hold dots and slashes, which field paths cannot express.
const ANNOTATIONS = ['metadata.annotations'];
const LINKS = ['metadata.links'];

const annotationPresent = createScorecardRuleKind<
  RuleParamsByKind['annotationPresent']
>({
  id: 'annotationPresent',
  paramNames: ['annotation'],
  readParams: params => ({ annotation: params.string('annotation') }),
  passMessage: rule => `Annotation ${rule.params.annotation} is set.`,
  failure: ({ params }, entity) =>
    annotation(entity, params.annotation) === undefined
      ? `Annotation ${params.annotation} is missing.`
      : undefined,
  entityFields: () => ANNOTATIONS,
});

const annotationMatches = createScorecardRuleKind<
  RuleParamsByKind['annotationMatches']
>({
  id: 'annotationMatches',
  paramNames: ['annotation', 'pattern'],
  readParams: params => {
    const name = params.string('annotation');
    const pattern = params.string('pattern');
    const problem = patternProblem(pattern);
    if (problem) {
      params.fail('pattern', problem);
    }
    return { annotation: name, pattern };
  },
  passMessage: ({ params }) =>
    `Annotation ${params.annotation} matches ${params.pattern}.`,
  failure: ({ params }, entity) => {
    const value = annotation(entity, params.annotation);
    if (value === undefined) {
      return `Annotation ${params.annotation} is missing.`;
    }
    const matches = matchesPattern(params.pattern, value);
    if (matches === undefined) {
      return `Annotation ${params.annotation} could not be checked against ${params.pattern} within the memory a pattern may use.`;
    }
    return matches
      ? undefined
      : `Annotation ${params.annotation} is '${value}', which does not match ${params.pattern}.`;
  },
  entityFields: () => ANNOTATIONS,
});

const specField = createScorecardRuleKind<RuleParamsByKind['specField']>({
  id: 'specField',
  paramNames: ['field', 'values'],
  readParams: params => {
    const field = params.fieldPath('field');
    const values = params.optionalStringArray('values');
    return values ? { field, values } : { field };
  },
  passMessage: ({ params }) =>
    params.values
      ? `${params.field} is one of ${params.values.join(', ')}.`
      : `${params.field} is set.`,
  failure: ({ params }, entity) => {
    const { field, values } = params;
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
  },
  entityFields: ({ params }) => [params.field],
});

function wantedLink(type?: string, title?: string): string {
  if (type && title) {
    return `type '${type}' and title '${title}'`;
  }
  return type ? `type '${type}'` : `title '${title}'`;
}

const linkPresent = createScorecardRuleKind<RuleParamsByKind['linkPresent']>({
  id: 'linkPresent',
  paramNames: ['type', 'title'],
  readParams: params => {
    const type = params.optionalString('type');
    const title = params.optionalString('title');
    if (!type && !title) {
      params.fail('type', 'give params.type, params.title or both');
    }
    return { ...(type && { type }), ...(title && { title }) };
  },
  passMessage: ({ params }) =>
    `A link has ${wantedLink(params.type, params.title)}.`,
  failure: ({ params }, entity) => {
    const { type, title } = params;
    const links = entity.metadata.links;
    if (links) {
      for (const l of links) {
        if (
          (!type || (l.type !== undefined && lower(l.type) === lower(type))) &&
          (!title || (l.title !== undefined && lower(l.title) === lower(title)))
        ) {
          return undefined;
        }
      }
    }
    return `No link with ${wantedLink(type, title)}.`;
  },
  entityFields: () => LINKS,
});

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

const relationResolves = createScorecardRuleKind<
  RuleParamsByKind['relationResolves']
>({
  id: 'relationResolves',
  paramNames: ['field', 'targetKind'],
  readParams: params => ({
    field: params.fieldPath('field'),
    targetKind: params.string('targetKind'),
  }),
  passMessage: ({ params }) =>
    `${params.field} names an existing ${params.targetKind}.`,
  failure: ({ params }, entity, context) =>
    relationProblem(entity, params.field, params.targetKind, context),
  entityFields: ({ params }) => [params.field],
  targetKinds: ({ params }) => [params.targetKind],
  relationTargets: ({ params }, entity) => {
    const targets: string[] = [];
    for (const ref of referencesAt(entity, params.field)) {
      const resolved = resolveRef(entity, params.field, ref, params.targetKind);
      if (typeof resolved === 'string') {
        targets.push(resolved);
      }
    }
    return targets;
  },
});

/**
 * The kinds the scorecard provides itself, registered through the same extension point
 * as the kinds of backend modules, in the order error messages list them.
 */
export const builtInRuleKinds: ScorecardRuleKind[] = [
  annotationPresent,
  annotationMatches,
  specField,
  linkPresent,
  relationResolves,
];
