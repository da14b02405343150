// Reads packages/backend/Dockerfile and the root .dockerignore for scripts/artifact: the
// image's recipe is the one source of the steps, and this file is what lets a host
// without Docker follow it. Only the instructions the recipe uses are understood; any
// other one is refused, so the recipe cannot grow a step that the tests skip.

/** One instruction, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  args: string;
  /** 1-based line of the instruction's first line, for messages. */
  line: number;
}

/** What the host runs, in order, from `WORKDIR /app` on. */
export type AppStep =
  | { kind: 'copy'; sources: string[]; dest: string; line: number }
  | { kind: 'run'; command: string; line: number }
  | { kind: 'env'; vars: Record<string, string>; line: number };

export interface Recipe {
  /** `node:22-bookworm-slim` */
  baseImage: string;
  /** The image's working directory, where the app steps start. */
  workdir: string;
  steps: AppStep[];
  /** The environment the image runs with: every ENV from `WORKDIR` on. */
  env: Record<string, string>;
  /** CMD, exec form. */
  command: string[];
  exposedPorts: number[];
  /** The user the image runs as. */
  user?: string;
}

export class RecipeError extends Error {
  constructor(line: number, message: string) {
    super(`packages/backend/Dockerfile line ${line}: ${message}`);
    this.name = 'RecipeError';
  }
}

export function parseDockerfile(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  const lines = text.split('\n');
  let pending: { parts: string[]; line: number } | undefined;
  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (!pending && trimmed === '')) {
      continue; // a comment, also inside a continued instruction
    }
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    if (!pending) {
      pending = { parts: [], line: index + 1 };
    }
    pending.parts.push(part);
    if (!continued) {
      const joined = pending.parts.filter(Boolean).join(' ');
      const match = /^(\S+)\s*(.*)$/.exec(joined)!;
      instructions.push({
        keyword: match[1].toUpperCase(),
        args: match[2],
        line: pending.line,
      });
      pending = undefined;
    }
  }
  return instructions;
}

/** `--name=value` flags at the start of COPY and RUN, and what follows them. */
function splitFlags(args: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let rest = args;
  for (;;) {
    const match = /^--([a-z-]+)(=\S*)?\s+/.exec(rest);
    if (!match) {
      return { flags, rest };
    }
    flags.push(match[1]);
    rest = rest.slice(match[0].length);
  }
}

/** `KEY=value KEY2="two words"`; the legacy `ENV KEY value` form is refused. */
function parseEnv(args: string, line: number): Record<string, string> {
  const vars: Record<string, string> = {};
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))\s*/y;
  let at = 0;
  while (at < args.length) {
    pair.lastIndex = at;
    const match = pair.exec(args);
    if (!match) {
      throw new RecipeError(line, `ENV takes KEY=value pairs, got '${args}'`);
    }
    vars[match[1]] =
      match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
    at = pair.lastIndex;
  }
  return vars;
}

function parseExecForm(args: string, line: number, what: string): string[] {
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every(a => typeof a === 'string')) {
      return parsed as string[];
    }
  } catch {
    // refused below
  }
  throw new RecipeError(line, `${what} must be in exec form ["a", "b"]`);
}

/**
 * The recipe as the host follows it. Everything before the first `WORKDIR` is the
 * system layer (apt packages, corepack), which the host provides; from there on each
 * step is run. Multi-stage builds, ARG, ADD, a second WORKDIR and the like are refused.
 */
export function readRecipe(text: string): Recipe {
  const instructions = parseDockerfile(text);
  const from = instructions.filter(i => i.keyword === 'FROM');
  if (from.length !== 1 || instructions[0]?.keyword !== 'FROM') {
    throw new RecipeError(
      from[1]?.line ?? 1,
      'expected exactly one FROM, first (a single-stage host build)',
    );
  }
  const workdirAt = instructions.findIndex(i => i.keyword === 'WORKDIR');
  if (workdirAt === -1) {
    throw new RecipeError(1, 'expected a WORKDIR for the app');
  }
  const recipe: Recipe = {
    baseImage: from[0].args.trim(),
    workdir: instructions[workdirAt].args.trim(),
    steps: [],
    env: {},
    command: [],
    exposedPorts: [],
  };
  for (const instruction of instructions.slice(1, workdirAt)) {
    if (instruction.keyword === 'USER') {
      recipe.user = instruction.args.trim();
    } else if (!['ENV', 'RUN'].includes(instruction.keyword)) {
      throw new RecipeError(
        instruction.line,
        `${instruction.keyword} before WORKDIR is not understood by scripts/artifact`,
      );
    }
  }
  for (const { keyword, args, line } of instructions.slice(workdirAt + 1)) {
    switch (keyword) {
      case 'COPY': {
        const { flags, rest } = splitFlags(args);
        const unknown = flags.filter(
          f => !['chown', 'chmod', 'link'].includes(f),
        );
        if (unknown.length > 0) {
          throw new RecipeError(line, `COPY --${unknown[0]} is not understood`);
        }
        const paths = rest.split(/\s+/).filter(Boolean);
        if (paths.length < 2) {
          throw new RecipeError(line, 'COPY needs a source and a destination');
        }
        recipe.steps.push({
          kind: 'copy',
          sources: paths.slice(0, -1),
          dest: paths[paths.length - 1],
          line,
        });
        break;
      }
      case 'RUN': {
        const { flags, rest } = splitFlags(args);
        if (flags.some(f => f !== 'mount')) {
          throw new RecipeError(line, 'RUN takes no flag but --mount');
        }
        recipe.steps.push({ kind: 'run', command: rest, line });
        break;
      }
      case 'ENV': {
        const vars = parseEnv(args, line);
        recipe.steps.push({ kind: 'env', vars, line });
        Object.assign(recipe.env, vars);
        break;
      }
      case 'CMD':
        recipe.command = parseExecForm(args, line, 'CMD');
        break;
      case 'EXPOSE':
        recipe.exposedPorts.push(
          ...args.split(/\s+/).map(port => Number(port.replace(/\/tcp$/, ''))),
        );
        break;
      case 'USER':
        recipe.user = args.trim();
        break;
      default:
        throw new RecipeError(
          line,
          `${keyword} is not understood by scripts/artifact; teach it there first`,
        );
    }
  }
  if (recipe.command.length === 0) {
    throw new RecipeError(instructions.length, 'expected a CMD');
  }
  return recipe;
}

/** A .dockerignore glob as a regular expression over a slash-separated relative path. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * Docker's reading of .dockerignore: the last pattern that matches a path or one of its
 * parent directories decides, and `!` brings a path back. Returns whether a path
 * (relative to the build context, slash-separated) is left out of the context.
 */
export function dockerignoreMatcher(text: string): (file: string) => boolean {
  const patterns = text
    .split('\n')
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'))
    .map(line => {
      const negated = line.startsWith('!');
      const glob = (negated ? line.slice(1) : line)
        .trim()
        .replace(/^\/+/, '')
        .replace(/\/+$/, '');
      return { negated, regexp: globToRegExp(glob) };
    });
  return (file: string) => {
    const parts = file.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const { negated, regexp } of patterns) {
      if (candidates.some(candidate => regexp.test(candidate))) {
        excluded = !negated;
      }
    }
    return excluded;
  };
}

/** The install step, whose native builds the host may take from the workspace. */
export function isInstallStep(step: AppStep): boolean {
  return step.kind === 'run' && /\byarn workspaces focus\b/.test(step.command);
}
