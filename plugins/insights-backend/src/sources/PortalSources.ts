import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { entityKey } from '@internal/paved-road-common';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityLevels } from '@internal/plugin-scorecard-common';
import { ScorecardClient } from '@internal/plugin-scorecard-node';
import { ServiceFact } from '../figures/compute';
import { teamRef } from './teamRef';

const SOURCE_TEMPLATE = 'backstage.io/source-template';

/** The answer, or undefined when the scorecard is not installed (404). */
async function unlessAbsent<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ResponseError && error.statusCode === 404) {
      return undefined;
    }
    throw error;
  }
}

/**
 * What the figures read from the rest of the portal: services from the catalog, levels
 * and coverage from the scorecard. The scorecard is optional: without it the figures
 * that need it say "no data".
 */
export class PortalSources {
  private readonly scorecardClient: ScorecardClient;

  constructor(
    private readonly catalog: CatalogService,
    discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {
    this.scorecardClient = ScorecardClient.create({ discovery, auth });
  }

  /** Every Component of type service, with its team and scorecard levels. */
  async services(levels: Map<string, EntityLevels>): Promise<ServiceFact[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const services: ServiceFact[] = [];
    for await (const page of this.catalog.streamEntities(
      {
        filter: { kind: 'Component', 'spec.type': 'service' },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
          'spec.owner',
        ],
      },
      { credentials },
    )) {
      for (const entity of page) {
        const ref = entityKey(entity);
        const level = levels.get(ref);
        const owner = entity.spec?.owner;
        const team = typeof owner === 'string' ? teamRef(owner) : undefined;
        services.push({
          name: entity.metadata.name,
          ...(team && { team }),
          viaPortal: Boolean(entity.metadata.annotations?.[SOURCE_TEMPLATE]),
          ...(level?.level && { level: level.level }),
          ...(level?.firstLevel && { firstLevel: level.firstLevel }),
        });
      }
    }
    return services;
  }

  /** Levels per entity and the highest level, or nothing when the scorecard is absent. */
  async scorecard(team?: string): Promise<{
    levels: Map<string, EntityLevels>;
    compliantLevel?: string;
    coverage: Array<{ day: string; coverage: number; entities: number }>;
  }> {
    const scorecard = this.scorecardClient;
    const [levels, rules, trend] = await Promise.all([
      unlessAbsent(scorecard.levels()),
      unlessAbsent(scorecard.rules()),
      unlessAbsent(scorecard.trend({ owner: team })),
    ]);
    return {
      levels: new Map((levels?.items ?? []).map(i => [i.entityRef, i])),
      compliantLevel: rules?.levels[rules.levels.length - 1]?.id,
      coverage: (trend?.trend ?? []).map(({ day, coverage, entities }) => ({
        day,
        coverage,
        entities,
      })),
    };
  }
}
