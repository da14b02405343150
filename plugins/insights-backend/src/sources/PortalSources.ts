import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ServiceFact } from '../figures/compute';
import { teamRef } from './teamRef';

const SOURCE_TEMPLATE = 'backstage.io/source-template';

type LevelItem = {
  entityRef: string;
  level?: string;
  firstLevel?: string;
};

/**
 * What the figures read from the rest of the portal: services from the catalog, levels
 * and coverage from the scorecard. The scorecard is optional: without it the figures
 * that need it say "no data".
 */
export class PortalSources {
  constructor(
    private readonly catalog: CatalogService,
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** Every Component of type service, with its team and scorecard levels. */
  async services(levels: Map<string, LevelItem>): Promise<ServiceFact[]> {
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
        const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
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
    levels: Map<string, LevelItem>;
    compliantLevel?: string;
    coverage: Array<{ day: string; coverage: number; entities: number }>;
  }> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const get = async <T>(path: string): Promise<T | undefined> => {
      const baseUrl = await this.discovery.getBaseUrl('scorecard');
      const { token } = await this.auth.getPluginRequestToken({
        onBehalfOf: credentials as BackstageCredentials,
        targetPluginId: 'scorecard',
      });
      const response = await fetch(`${baseUrl}${path}`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 404) {
        return undefined;
      }
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      return (await response.json()) as T;
    };
    const [levels, rules, trend] = await Promise.all([
      get<{ items: LevelItem[] }>('/levels'),
      get<{ levels: Array<{ id: string }> }>('/rules'),
      get<{
        trend: Array<{ day: string; coverage: number; entities: number }>;
      }>(`/trend${team ? `?owner=${encodeURIComponent(team)}` : ''}`),
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
