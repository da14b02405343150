import {
  JSON_RULE_ENGINE_CHECK_TYPE,
  JsonRulesEngineFactCheckerFactory,
  TechInsightJsonRuleCheck,
} from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BUILT_IN_RULE_KINDS,
  BuiltInScorecardRule,
  ScorecardRule,
} from '@internal/plugin-scorecard-common';
import { Operator } from 'json-rules-engine';

// The store types live in plugin-tech-insights-node; reach them through jsonfc's API
// rather than depending on a second package for types only.
type TechInsightsStore = Parameters<
  JsonRulesEngineFactCheckerFactory['construct']
>[0];
type TechInsightFact = Parameters<
  TechInsightsStore['insertFacts']
>[0]['facts'][number];
type FactSchemaDefinition = Parameters<
  TechInsightsStore['insertFactSchema']
>[0];
type FlatTechInsightFact = Awaited<
  ReturnType<TechInsightsStore['getLatestFactsByIds']>
>[string];
type FactSchema = Awaited<
  ReturnType<TechInsightsStore['getLatestSchemas']>
>[number];

type FactValue = string | boolean | null;

const RETRIEVER_ID = 'scorecardRulesFactRetriever';

/** A scorecard rule as tech-insights expresses it: a fact, and a check on that fact. */
interface Translated {
  rule: ScorecardRule;
  type: 'boolean' | 'string';
  value(entity: Entity, entityExists: (ref: string) => boolean): FactValue;
  condition: { fact: string; operator: string; value: unknown };
}

// Every fact must have a value (null included), or jsonfc skips the check silently.
function annotation(entity: Entity, name: string): string | null {
  const value = entity.metadata.annotations?.[name];
  return value === undefined || value.trim() === '' ? null : value;
}

function at(entity: Entity, path: string): unknown {
  let value: unknown = entity;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function blank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function resolves(
  entity: Entity,
  field: string,
  targetKind: string,
  entityExists: (ref: string) => boolean,
): boolean {
  const value = at(entity, field);
  if (blank(value)) {
    return false;
  }
  return (Array.isArray(value) ? value : [value]).every(ref => {
    if (typeof ref !== 'string' || ref.trim() === '') {
      return false;
    }
    try {
      const parsed = parseEntityRef(ref, {
        defaultKind: targetKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      });
      return (
        parsed.kind.toLowerCase() === targetKind.toLowerCase() &&
        entityExists(stringifyEntityRef(parsed).toLowerCase())
      );
    } catch {
      return false;
    }
  });
}

function isBuiltIn(rule: ScorecardRule): rule is BuiltInScorecardRule {
  return (BUILT_IN_RULE_KINDS as readonly string[]).includes(rule.kind);
}

/** Turns one scorecard rule into a fact the retriever computes and a check on it. */
function translate(original: ScorecardRule): Translated {
  const fact = original.id;
  if (!isBuiltIn(original)) {
    throw new Error(`No tech-insights translation for rule ${fact}`);
  }
  const rule = original;
  const isTrue = { fact, operator: 'equal', value: true };
  switch (rule.kind) {
    case 'annotationPresent':
      return {
        rule,
        type: 'boolean',
        value: e => annotation(e, rule.params.annotation) !== null,
        condition: isTrue,
      };
    case 'annotationMatches':
      return {
        rule,
        type: 'string',
        value: e => annotation(e, rule.params.annotation),
        condition: {
          fact,
          operator: 'matchesRegex',
          value: rule.params.pattern,
        },
      };
    case 'specField': {
      const { field, values } = rule.params;
      if (!values) {
        return {
          rule,
          type: 'boolean',
          value: e => !blank(at(e, field)),
          condition: isTrue,
        };
      }
      return {
        rule,
        type: 'string',
        value: e => {
          const value = at(e, field);
          return typeof value === 'string' ? value : null;
        },
        condition: { fact, operator: 'in', value: values },
      };
    }
    case 'linkPresent': {
      const type = rule.params.type?.toLowerCase();
      const title = rule.params.title?.toLowerCase();
      return {
        rule,
        type: 'boolean',
        value: e =>
          (e.metadata.links ?? []).some(
            link =>
              (!type || link.type?.toLowerCase() === type) &&
              (!title || link.title?.toLowerCase() === title),
          ),
        condition: isTrue,
      };
    }
    case 'relationResolves':
      return {
        rule,
        type: 'boolean',
        value: (e, exists) =>
          resolves(e, rule.params.field, rule.params.targetKind, exists),
        condition: isTrue,
      };
    default:
      throw new Error(`No tech-insights translation for rule ${fact}`);
  }
}

/** The part of a TechInsightsStore that runChecks reads, kept in memory. */
class InMemoryTechInsightsStore implements TechInsightsStore {
  private readonly rows = new Map<string, Map<string, FlatTechInsightFact>>();
  private readonly schemas = new Map<string, FactSchema>();

  async insertFacts(options: { id: string; facts: TechInsightFact[] }) {
    for (const fact of options.facts) {
      const ref = stringifyEntityRef(fact.entity);
      const row = this.rows.get(ref) ?? new Map<string, FlatTechInsightFact>();
      row.set(options.id, { ...fact, id: options.id });
      this.rows.set(ref, row);
    }
  }

  async getLatestFactsByIds(ids: string[], entity: string) {
    const row = this.rows.get(entity);
    const found: Record<string, FlatTechInsightFact> = {};
    for (const id of ids) {
      const fact = row?.get(id);
      if (fact) {
        found[id] = fact;
      }
    }
    return found;
  }

  async getEntities() {
    return [...this.rows.values()].flatMap(row =>
      [...row.values()].slice(0, 1).map(fact => fact.entity),
    );
  }

  async getFactsBetweenTimestampsByIds() {
    return {};
  }

  async insertFactSchema(definition: FactSchemaDefinition) {
    this.schemas.set(definition.id, definition.schema);
  }

  async getLatestSchemas(ids?: string[]) {
    const wanted = ids ? [...new Set(ids)] : [...this.schemas.keys()];
    return wanted.flatMap(id => {
      const schema = this.schemas.get(id);
      return schema ? [schema] : [];
    });
  }
}

/** A logger that counts, so the benchmark can show jsonfc complained about nothing. */
export interface CountingLogger extends LoggerService {
  counts: { warn: number; error: number };
}

function countingLogger(): CountingLogger {
  const logger: CountingLogger = {
    counts: { warn: 0, error: 0 },
    debug() {},
    info() {},
    warn() {
      logger.counts.warn += 1;
    },
    error() {
      logger.counts.error += 1;
    },
    child: () => logger,
  };
  return logger;
}

/**
 * The peer: the same rules run as tech-insights checks by the real
 * `JsonRulesEngineFactChecker` of jsonfc, over facts a fact retriever computed.
 */
export interface TechInsightsPeer {
  /** The fact retriever's handler: one row of facts per entity. */
  retrieveFacts(entities: Entity[]): TechInsightFact[];
  /** Stores facts, as the tech-insights engine does after a retriever ran. */
  insertFacts(facts: TechInsightFact[]): Promise<void>;
  /** jsonfc's runChecks for one entity: every check and whether it passed. */
  runChecks(
    entityRef: string,
  ): Promise<Array<{ check: { id: string }; result: boolean }>>;
  logger: CountingLogger;
}

export async function createTechInsightsPeer(options: {
  rules: ScorecardRule[];
  /** Whether an entity exists, by full reference in lower case. */
  entityExists(ref: string): boolean;
  /** Where jsonfc looks entities up to apply the checks' filters (appliesTo). */
  entitiesByRef: Map<string, Entity>;
}): Promise<TechInsightsPeer> {
  const translated = options.rules.map(translate);

  const store = new InMemoryTechInsightsStore();
  await store.insertFactSchema({
    id: RETRIEVER_ID,
    version: '0.1.0',
    schema: Object.fromEntries(
      translated.map(t => [
        t.rule.id,
        { type: t.type, description: t.rule.description },
      ]),
    ),
  });

  const patterns = new Map<string, RegExp>();
  const matchesRegex = new Operator<string, string>(
    'matchesRegex',
    (value, pattern) => {
      let regExp = patterns.get(pattern);
      if (!regExp) {
        regExp = new RegExp(pattern);
        patterns.set(pattern, regExp);
      }
      return regExp.test(value);
    },
    // A missing annotation (null) fails the condition instead of throwing.
    value => typeof value === 'string',
  );

  const checks: TechInsightJsonRuleCheck[] = translated.map(t => ({
    id: t.rule.id,
    type: JSON_RULE_ENGINE_CHECK_TYPE,
    name: t.rule.title,
    description: t.rule.description,
    factIds: [RETRIEVER_ID],
    ...((t.rule.appliesTo.kind || t.rule.appliesTo.type) && {
      filter: {
        ...(t.rule.appliesTo.kind && { kind: t.rule.appliesTo.kind }),
        ...(t.rule.appliesTo.type && { 'spec.type': t.rule.appliesTo.type }),
      },
    }),
    rule: { conditions: { all: [t.condition] } },
  }));

  const credentials = {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'service', subject: 'plugin:tech-insights' },
  } as BackstageCredentials;
  const logger = countingLogger();
  const checker = new JsonRulesEngineFactCheckerFactory({
    checks,
    logger,
    operators: [matchesRegex],
    catalog: {
      getEntityByRef: async (ref: string) => options.entitiesByRef.get(ref),
    } as unknown as CatalogService,
    auth: {
      getOwnServiceCredentials: async () => credentials,
    } as unknown as AuthService,
  }).construct(store);

  return {
    retrieveFacts: entities =>
      entities.map(entity => ({
        entity: {
          namespace: entity.metadata.namespace ?? 'default',
          kind: entity.kind,
          name: entity.metadata.name,
        },
        facts: Object.fromEntries(
          translated.map(t => [
            t.rule.id,
            t.value(entity, options.entityExists),
          ]),
        ),
      })),
    insertFacts: facts => store.insertFacts({ id: RETRIEVER_ID, facts }),
    runChecks: entityRef => checker.runChecks(entityRef),
    logger,
  };
}
