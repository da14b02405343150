import { execFile } from 'node:child_process';
import os from 'node:os';
import { Config } from '@backstage/config';

/**
 * Runs the git CLI in `cwd` with no system or global configuration, no prompts and HOME
 * pointed at `cwd`, so a `.gitconfig` somewhere on the host (or in a copied workspace)
 * cannot configure it. Returns stdout trimmed, or exactly as written with `raw`.
 */
export function git(
  cwd: string,
  args: string[],
  options: {
    input?: string;
    env?: Record<string, string>;
    raw?: boolean;
    /** stdout as latin1, one character per byte (for byte offsets, as in `cat-file --batch`). */
    bytes?: boolean;
  } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd,
        maxBuffer: 16 * 1024 * 1024,
        encoding: options.bytes ? 'latin1' : 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: cwd,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: os.devNull,
          GIT_TERMINAL_PROMPT: '0',
          ...options.env,
        },
      },
      (error, stdout) => {
        if (error) {
          // some commands answer on stdout with a non-zero status (git merge-file)
          reject(Object.assign(error, { stdout }));
        } else {
          resolve(options.raw || options.bytes ? stdout : stdout.trim());
        }
      },
    );
    // git may exit without reading stdin; its exit status is what counts
    child.stdin?.on('error', () => {});
    if (options.input === undefined) {
      child.stdin?.end();
    } else {
      child.stdin?.end(options.input);
    }
  });
}

/** The author of commits the portal makes: `scaffolder.defaultAuthor`, or Paved Road. */
export function readDefaultAuthor(config: Config): {
  name: string;
  email: string;
} {
  return {
    name:
      config.getOptionalString('scaffolder.defaultAuthor.name') ?? 'Paved Road',
    email:
      config.getOptionalString('scaffolder.defaultAuthor.email') ??
      'paved-road@example.com',
  };
}

/** The message of a new repository's one commit: `scaffolder.defaultCommitMessage`. */
export function readInitialCommitMessage(config: Config): string {
  return (
    config.getOptionalString('scaffolder.defaultCommitMessage') ??
    'Initial commit'
  );
}
