import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createScorecardRuleKind } from '@internal/plugin-scorecard-node';
import {
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '../upgrade/answers';

const ANNOTATIONS = ['metadata.annotations'];
const MAX_BEHIND = 100;

/**
 * The current version of each golden path, from the catalog's templates (their
 * `paved-road.io/template-version` annotation). Rule evaluation is synchronous, so the
 * versions are read ahead, on a schedule, and kept here.
 */
export class TemplateVersions {
  private versions = new Map<string, number>();
  private loaded = false;

  static create(): TemplateVersions {
    return new TemplateVersions();
  }

  private constructor() {}

  /** Undefined for a template the catalog has no versioned Template of (or not yet). */
  current(template: string): number | undefined {
    return this.versions.get(template.toLocaleLowerCase('en-US'));
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  async refresh(deps: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
  }): Promise<void> {
    const { items } = await deps.catalog.getEntities(
      {
        filter: { kind: 'Template' },
        fields: ['metadata.name', 'metadata.annotations'],
      },
      { credentials: await deps.auth.getOwnServiceCredentials() },
    );
    const versions = new Map<string, number>();
    for (const template of items) {
      const version = Number(
        template.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION],
      );
      if (Number.isInteger(version) && version > 0) {
        versions.set(
          template.metadata.name.toLocaleLowerCase('en-US'),
          version,
        );
      }
    }
    if (!this.loaded) {
      deps.logger.info(
        `Template versions read for the scorecard: ${
          [...versions].map(([name, v]) => `${name} ${v}`).join(', ') ||
          'no versioned templates'
        }`,
      );
    }
    this.versions = versions;
    this.loaded = true;
  }
}

/**
 * `templateVersion`: a service made from a golden path is on its template's current
 * version, or at most `params.maxBehind` versions behind (default 0). A service made by
 * hand (no `paved-road.io/template` annotation) has nothing to keep up with and passes,
 * and so does one whose template's current version is not known (yet): a rule that
 * fails on what the portal does not know would drop levels and notify for nothing.
 */
export function createTemplateVersionRuleKind(versions: TemplateVersions) {
  return createScorecardRuleKind<{ maxBehind: number }>({
    id: 'templateVersion',
    paramNames: ['maxBehind'],
    readParams: params => {
      const value = params.value('maxBehind') ?? 0;
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < 0 ||
        value > MAX_BEHIND
      ) {
        return params.fail(
          'maxBehind',
          `must be a whole number from 0 to ${MAX_BEHIND}`,
        );
      }
      return { maxBehind: value };
    },
    passMessage: ({ params }) =>
      params.maxBehind === 0
        ? 'Made from the current version of its golden path, or not from a golden path.'
        : `Made from its golden path's current version or at most ${params.maxBehind} behind, or not from a golden path.`,
    failure: ({ params }, entity) => {
      const annotations = entity.metadata.annotations ?? {};
      const template = annotations[TEMPLATE_ANNOTATION]?.trim();
      if (!template) {
        return undefined;
      }
      const current = versions.current(template);
      if (current === undefined) {
        return undefined;
      }
      const version = Number(annotations[TEMPLATE_VERSION_ANNOTATION]);
      if (!Number.isInteger(version) || version < 1) {
        return `Made from the ${template} golden path, but annotation ${TEMPLATE_VERSION_ANNOTATION} does not say which version (the current one is ${current}).`;
      }
      const behind = current - version;
      if (behind <= params.maxBehind) {
        return undefined;
      }
      return `Made from ${template} version ${version}; the current one is ${current} (${behind} ${
        behind === 1 ? 'version' : 'versions'
      } behind${
        params.maxBehind > 0 ? `, at most ${params.maxBehind} allowed` : ''
      }).`;
    },
    entityFields: () => ANNOTATIONS,
  });
}
