import fs from 'node:fs';

/**
 * `${NAME}` without a fallback. `$${NAME}` is an escape and `${NAME:-fallback}` is
 * optional, so neither counts.
 */
const REQUIRED_REFERENCE = /(?<!\$)\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g;

/** A config file's reference to an environment variable that has no value. */
export type MissingVariable = { name: string; file: string };

/** The names of environment variables a config text requires (no `:-` fallback). */
export function requiredVariables(configText: string): string[] {
  const names = new Set<string>();
  for (const line of configText.split('\n')) {
    if (line.trimStart().startsWith('#')) {
      continue;
    }
    for (const match of line.matchAll(REQUIRED_REFERENCE)) {
      names.add(match[1]);
    }
  }
  return [...names];
}

/**
 * Lists, for each config file, the required variables that are unset or blank in `env`.
 * Blank counts as unset because the config loader would drop the key all the same.
 */
export function findMissingVariables(
  files: string[],
  env: NodeJS.ProcessEnv,
): MissingVariable[] {
  const missing: MissingVariable[] = [];
  for (const file of files) {
    for (const name of requiredVariables(fs.readFileSync(file, 'utf8'))) {
      if (!env[name]?.trim()) {
        missing.push({ name, file });
      }
    }
  }
  return missing;
}

/** One line per variable, in the order the files name them. */
export function describeMissingVariables(missing: MissingVariable[]): string {
  const lines = missing.map(m => `  - ${m.name} (used in ${m.file})`);
  return [
    `Cannot start: ${missing.length} required environment variable${
      missing.length === 1 ? ' is' : 's are'
    } not set:`,
    ...lines,
    'Set them, or give the value a fallback in the config file with ${NAME:-fallback}.',
  ].join('\n');
}
