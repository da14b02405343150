import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RulePreviewResponse } from '@internal/plugin-scorecard-common';
import {
  evaluateEntity,
  fieldsFor,
  filterFor,
  readScorecardRule,
  RuleKinds,
  targetKindsOf,
} from '../rules';
import { CatalogEvaluator, PAGE_SIZE } from './CatalogEvaluator';
import { entityKey } from './refs';

export interface PreviewServiceOptions {
  kinds: RuleKinds;
  catalog: CatalogService;
  auth: AuthService;
  evaluator: CatalogEvaluator;
}

/** The impact preview: what a proposed rule would say about the catalog. Stores nothing. */
export class PreviewService {
  private constructor(private readonly deps: PreviewServiceOptions) {}

  static create(options: PreviewServiceOptions): PreviewService {
    return new PreviewService(options);
  }

  /**
   * What a proposed rule, shaped like an entry of `scorecard.rules` and of any kind in
   * force, would say about every entity the caller can see.
   */
  async preview(
    proposed: unknown,
    credentials: BackstageCredentials,
  ): Promise<RulePreviewResponse> {
    const { kinds, catalog, auth, evaluator } = this.deps;
    const rule = readScorecardRule(proposed, { kinds });
    const own = await auth.getOwnServiceCredentials();
    const existing = await evaluator.existingEntities(
      targetKindsOf([rule], kinds),
      own,
    );
    const context = { entityExists: (ref: string) => existing.has(ref) };
    let entities = 0;
    let applicable = 0;
    let passing = 0;
    const failing: RulePreviewResponse['failing'] = [];
    for await (const page of catalog.streamEntities(
      {
        filter: filterFor([rule]),
        fields: fieldsFor([rule], kinds),
        pageSize: PAGE_SIZE,
      },
      { credentials },
    )) {
      for (const entity of page) {
        entities += 1;
        const [result] = evaluateEntity(entity, [rule], context, kinds);
        if (!result) {
          continue;
        }
        applicable += 1;
        if (result.outcome === 'pass') {
          passing += 1;
        } else {
          const owner = entity.spec?.owner;
          failing.push({
            entityRef: entityKey(entity),
            ...(typeof owner === 'string' && { owner }),
            message: result.message,
          });
        }
      }
    }
    return { ruleId: rule.id, entities, applicable, passing, failing };
  }
}
