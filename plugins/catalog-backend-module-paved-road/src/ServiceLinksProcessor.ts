import path from 'node:path';
import { Config } from '@backstage/config';
import { CatalogProcessor, LocationSpec } from '@backstage/plugin-catalog-node';

type Entity = Parameters<NonNullable<CatalogProcessor['preProcessEntity']>>[0];
type EntityLink = NonNullable<Entity['metadata']['links']>[number];

/** The Grafana the golden paths' skeletons link to, standing for this portal's own. */
const PLACEHOLDER_GRAFANA = 'https://grafana.example.com';

/**
 * Makes a service's links lead somewhere on this portal's installation:
 *
 * - A service in a local repository (`pavedRoad.publish.target: local`) links, as its
 *   golden path wrote it, to GitHub where the repository would be in production
 *   (`https://github.com/<owner>/<name>/blob/main/docs/runbook.md`). Those links lead to
 *   the portal's pages of the repository instead, which are laid out as GitHub's
 *   (`<app.baseUrl>/repositories/<owner>/<name>/blob/main/docs/runbook.md`).
 * - A link to the skeletons' placeholder Grafana (`https://grafana.example.com/...`)
 *   leads to `pavedRoad.grafana.url`, and is left out where none is configured.
 *
 * Only links change; a link the catalog file gives elsewhere stays as it is.
 */
export class ServiceLinksProcessor implements CatalogProcessor {
  static fromConfig(
    config: Config,
    cwd = process.cwd(),
  ): ServiceLinksProcessor {
    const directory =
      config.getOptionalString('pavedRoad.publish.target') === 'local'
        ? config.getOptionalString('pavedRoad.publish.local.directory')
        : undefined;
    const baseUrl = (
      config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000'
    ).replace(/\/+$/, '');
    const grafana = config
      .getOptionalString('pavedRoad.grafana.url')
      ?.trim()
      .replace(/\/+$/, '');
    return new ServiceLinksProcessor(
      directory === undefined ? undefined : path.resolve(cwd, directory),
      baseUrl,
      grafana || undefined,
    );
  }

  private constructor(
    private readonly localRepositories: string | undefined,
    private readonly portalBaseUrl: string,
    private readonly grafanaUrl: string | undefined,
  ) {}

  getProcessorName(): string {
    return 'PavedRoadServiceLinksProcessor';
  }

  /** `<owner>/<name>` of the local repository the entity was read from, if it was. */
  private localRepository(location: LocationSpec): string | undefined {
    if (location.type !== 'file' || !this.localRepositories) {
      return undefined;
    }
    const relative = path.relative(
      this.localRepositories,
      path.dirname(path.resolve(location.target)),
    );
    const names = relative.split(path.sep);
    return names.length === 2 &&
      names.every(n => /^[a-z0-9][-a-z0-9]*$/.test(n))
      ? names.join('/')
      : undefined;
  }

  private link(
    link: EntityLink,
    repository: string | undefined,
  ): EntityLink | undefined {
    const github = repository && `https://github.com/${repository}`;
    if (github && (link.url === github || link.url.startsWith(`${github}/`))) {
      return {
        ...link,
        url: `${this.portalBaseUrl}/repositories/${repository}${link.url.slice(
          github.length,
        )}`,
      };
    }
    if (
      link.url === PLACEHOLDER_GRAFANA ||
      link.url.startsWith(`${PLACEHOLDER_GRAFANA}/`)
    ) {
      return this.grafanaUrl
        ? {
            ...link,
            url: `${this.grafanaUrl}${link.url.slice(
              PLACEHOLDER_GRAFANA.length,
            )}`,
          }
        : undefined;
    }
    return link;
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
  ): Promise<Entity> {
    const links = entity.metadata.links;
    if (!Array.isArray(links) || links.length === 0) {
      return entity;
    }
    const repository = this.localRepository(location);
    const kept = links.flatMap(link => {
      const changed = this.link(link, repository);
      return changed ? [changed] : [];
    });
    return { ...entity, metadata: { ...entity.metadata, links: kept } };
  }
}
