import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { RepositoryHost } from '../publish/RepositoryHost';
import { SkeletonRenderer } from '../skeletons/SkeletonRenderer';
import { checkoutPortalRepository } from './portalCheckout';
import { UpgradesConfig } from './upgradeConfig';
import { createUpgradeEngine, UpgradeEngine } from './upgradeService';

const SEE =
  "see the scaffolder module's README, 'Template upgrades in production'";

/**
 * The upgrade engine of this portal, or undefined (said once in the log, with what to
 * set) when it has no git history of its skeletons: with
 * `pavedRoad.upgrades.portalRepository` the history is a checkout of that repository in
 * the working directory, and upgrades render both sides from it; without it the
 * skeletons directory must be inside the portal's own git repository.
 */
export async function setUpUpgrades(options: {
  config: UpgradesConfig;
  host: RepositoryHost;
  skeletons: SkeletonRenderer;
  integrations: ScmIntegrations;
  workingDirectory: string;
  logger: LoggerService;
}): Promise<UpgradeEngine | undefined> {
  const { config, host, skeletons, logger } = options;
  let renderer = skeletons;
  if (config.portalRepository) {
    try {
      const checkout = await checkoutPortalRepository({
        repository: config.portalRepository,
        workingDirectory: options.workingDirectory,
        integrations: options.integrations,
      });
      renderer = skeletons.at(checkout.skeletons);
    } catch (error) {
      logger.warn(
        `Template upgrades are off: pavedRoad.upgrades.portalRepository ${
          error instanceof Error ? error.message : String(error)
        }; ${SEE}`,
      );
      return undefined;
    }
  }
  try {
    const engine = await createUpgradeEngine({ host, renderer });
    logger.info(
      `Template upgrades: skeletons and their history from ${
        engine.sources.root
      } at ${(await engine.sources.revision()).slice(0, 12)}`,
    );
    return engine;
  } catch {
    logger.warn(
      `Template upgrades are off: the skeletons (${
        skeletons.directory ?? 'pavedRoad.skeletons.location'
      }) are in no git repository with its history, as in a container image; set pavedRoad.upgrades.portalRepository to the portal's repository; ${SEE}`,
    );
    return undefined;
  }
}
