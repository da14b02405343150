import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';

/** `pavedRoad.upgrades.schedule`: the scheduled template upgrades, off by default. */
export type UpgradeSchedule = {
  enabled: boolean;
  frequency: HumanDuration;
  timeout: HumanDuration;
  batchSize: number;
  dryRun: boolean;
};

/** `pavedRoad.upgrades.portalRepository`: the portal's git history, for production. */
export type PortalRepository = { url: string; ref: string };

export type UpgradesConfig = {
  schedule: UpgradeSchedule;
  portalRepository?: PortalRepository;
};

const SCHEDULE = 'pavedRoad.upgrades.schedule';
const REPOSITORY = 'pavedRoad.upgrades.portalRepository';
const GIT_REF = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

function hasControlCharacter(value: string): boolean {
  return [...value].some(
    c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f,
  );
}

function configError(key: string, message: string): Error {
  return new Error(`Invalid config '${key}': ${message}`);
}

function readSchedule(config: Config): UpgradeSchedule {
  const enabled = config.getOptionalBoolean(`${SCHEDULE}.enabled`) ?? false;
  let frequency: HumanDuration = { days: 1 };
  if (config.has(`${SCHEDULE}.frequency`)) {
    try {
      frequency = readDurationFromConfig(config, {
        key: `${SCHEDULE}.frequency`,
      });
    } catch (error) {
      throw configError(
        `${SCHEDULE}.frequency`,
        `must be a duration like { hours: 6 } or 'PT6H' (${
          error instanceof Error ? error.message : String(error)
        })`,
      );
    }
  }
  const batchSize = config.getOptionalNumber(`${SCHEDULE}.batchSize`) ?? 10;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) {
    throw configError(
      `${SCHEDULE}.batchSize`,
      'must be a whole number from 1 to 1000',
    );
  }
  return {
    enabled,
    frequency,
    timeout: { hours: 1 },
    batchSize,
    dryRun: config.getOptionalBoolean(`${SCHEDULE}.dryRun`) ?? false,
  };
}

function readPortalRepository(config: Config): PortalRepository | undefined {
  const url = config.getOptionalString(`${REPOSITORY}.url`)?.trim();
  if (!url) {
    return undefined;
  }
  if (url.startsWith('-') || /\s/.test(url) || hasControlCharacter(url)) {
    throw configError(`${REPOSITORY}.url`, 'must be a git URL or a path');
  }
  if (/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(url)) {
    throw configError(
      `${REPOSITORY}.url`,
      'must not carry a password; give the backend a git credential helper or an integration token instead',
    );
  }
  const ref = config.getOptionalString(`${REPOSITORY}.ref`)?.trim() || 'main';
  if (!GIT_REF.test(ref)) {
    throw configError(
      `${REPOSITORY}.ref`,
      `'${ref}' is not a branch, tag or commit name`,
    );
  }
  return { url, ref };
}

/** Reads `pavedRoad.upgrades`; throws, naming the key, for a wrong value. */
export function readUpgradesConfig(config: Config): UpgradesConfig {
  return {
    schedule: readSchedule(config),
    portalRepository: readPortalRepository(config),
  };
}
