import fs from 'node:fs';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { targetPaths } from '@backstage/cli-common';
import { ConfigSources } from '@backstage/config-loader';
import { describeMissingVariables, findMissingVariables } from './requiredEnv';

/** The config files the default config source reads, for the given command line. */
export function configFilePaths(argv: string[], rootDir: string): string[] {
  const targets = ConfigSources.parseArgs(argv);
  if (targets.length > 0) {
    return targets
      .filter(target => target.type === 'path')
      .map(target => path.resolve(target.target));
  }
  const envs = (process.env.BACKSTAGE_ENV ?? '')
    .split(',')
    .map(env => env.trim())
    .filter(Boolean);
  const names = [
    'app-config.yaml',
    ...envs.map(env => `app-config.${env}.yaml`),
    'app-config.local.yaml',
    ...envs.map(env => `app-config.${env}.local.yaml`),
  ];
  return names
    .map(name => path.resolve(rootDir, name))
    .filter(file => fs.existsSync(file));
}

/**
 * The default root config service, plus a check made before loading: every `${NAME}` in
 * the config files must be set in the environment. Without it a missing variable only
 * shows up later as "Missing required config value at 'backend.database…'", far from
 * its cause.
 */
export default createServiceFactory({
  service: coreServices.rootConfig,
  deps: {},
  async factory() {
    const files = configFilePaths(process.argv, targetPaths.rootDir);
    const missing = findMissingVariables(files, process.env);
    if (missing.length > 0) {
      // A stack trace would only point here; the list of names is the whole story.
      process.stderr.write(`\n${describeMissingVariables(missing)}\n\n`);
      process.exit(78); // EX_CONFIG
    }
    const source = ConfigSources.default({});
    return await ConfigSources.toConfig(source);
  },
});
