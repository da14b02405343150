import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ExemptionStore } from '../database/ExemptionStore';
import { ScorecardStore } from '../database/ScorecardStore';
import { relationTargets, RuleKinds, ScorecardConfig } from '../rules';
import { dayOf } from './days';
import { entityKey } from './refs';
import { scoreEntity, ScoredEntity } from './score';

/** Catalog pages are read this large. */
export const PAGE_SIZE = 1000;
const ENTITY_FIELDS = ['kind', 'metadata.namespace', 'metadata.name'];

export interface CatalogEvaluatorOptions {
  config: ScorecardConfig;
  kinds: RuleKinds;
  catalog: CatalogService;
  auth: AuthService;
  scores: ScorecardStore;
  exemptions: ExemptionStore;
  now: () => Date;
}

/**
 * Evaluation on the catalog's current data: one entity at once, for the entity view and
 * the deploy gate, and which entities exist, for the sweep and the preview.
 */
export class CatalogEvaluator {
  private constructor(private readonly deps: CatalogEvaluatorOptions) {}

  static create(options: CatalogEvaluatorOptions): CatalogEvaluator {
    return new CatalogEvaluator(options);
  }

  /**
   * Evaluates one entity, read from the catalog as the caller, with the exemptions
   * running now, and stores the result when some rule applies.
   */
  async evaluateNow(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; score: ScoredEntity }> {
    const { config, kinds, catalog, auth, scores, exemptions } = this.deps;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity '${entityRef}' in the catalog`);
    }
    const { rules, levels } = config;
    const targets = relationTargets(entity, rules, kinds);
    const existing = new Set<string>();
    if (targets.length > 0) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: targets, fields: ENTITY_FIELDS },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      for (const item of items) {
        if (item) {
          existing.add(entityKey(item));
        }
      }
    }
    const now = this.deps.now();
    const score = scoreEntity({
      entity,
      rules,
      kinds,
      levels,
      context: { entityExists: ref => existing.has(ref) },
      exemptions: await exemptions.running(
        now.toISOString(),
        entityKey(entity),
      ),
      now,
    });
    if (score.results.length > 0) {
      await scores.writeScores([score], dayOf(now), now.toISOString());
    }
    return { entity, score };
  }

  /** The keys of every entity of these kinds. */
  async existingEntities(
    kinds: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const existing = new Set<string>();
    if (kinds.length === 0) {
      return existing;
    }
    for await (const page of this.deps.catalog.streamEntities(
      { filter: { kind: kinds }, fields: ENTITY_FIELDS, pageSize: PAGE_SIZE },
      { credentials },
    )) {
      for (const entity of page) {
        existing.add(entityKey(entity));
      }
    }
    return existing;
  }
}
