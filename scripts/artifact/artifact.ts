// The production artifact without Docker: `yarn build:backend`, then the steps of
// packages/backend/Dockerfile from `WORKDIR /app` on, run in a scratch directory (see
// dockerfile.ts). The result is what the image holds, and the tests and `yarn bench:api`
// start the portal from it with the image's ENV and CMD.
//
// It is kept in <tmp>/portal-artifact/<hash> (PORTAL_ARTIFACT_CACHE moves it), the hash
// being that of every input: the sources the bundle is built from, what the recipe
// copies, the recipe itself and this Node. One `./portal test` builds it once. It lives
// outside the repository on purpose: Node would otherwise find a dependency the install
// forgot in the repository's node_modules, and the test would pass where the image fails.
//
// Native modules: the image compiles them (re2 alone takes minutes on two cores). By
// default the host installs with build scripts off and copies the compiled modules of
// the workspace's own install, for this same Node and platform, when their versions
// match; anything it cannot reuse is compiled as in the image. PORTAL_ARTIFACT_NATIVE=build
// (or { native: 'build' }) compiles them all, exactly as the image does.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AppStep,
  dockerignoreMatcher,
  isInstallStep,
  readRecipe,
  Recipe,
} from './dockerfile';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const DOCKERFILE = 'packages/backend/Dockerfile';

/** What the bundle is built from, besides what the recipe copies (relative to the root). */
const BUILD_INPUTS = [
  'packages/app',
  'packages/backend',
  'plugins',
  'package.json',
  'yarn.lock',
  '.yarnrc.yml',
  'backstage.json',
  '.dockerignore',
  DOCKERFILE,
  'scripts/artifact/artifact.ts',
  'scripts/artifact/dockerfile.ts',
];
/** Tests and their helpers are not in the bundle; a change to them keeps the artifact. */
const NOT_IN_BUNDLE = /(^|\/)(__testUtils__|__fixtures__)\/|\.test\.tsx?$/;
const MANIFEST = 'artifact.json';

export interface Artifact {
  /** The scratch directory, which is the image's WORKDIR. */
  dir: string;
  hash: string;
  /** The image's ENV. */
  env: Record<string, string>;
  /** The image's CMD, as written (`node`, then its arguments). */
  command: string[];
  /** How the native modules came to be. */
  native: 'compiled' | 'reused';
}

export interface ArtifactOptions {
  /** Default: $PORTAL_ARTIFACT_CACHE, else <tmp>/portal-artifact. */
  cacheDir?: string;
  /** Default: $PORTAL_ARTIFACT_NATIVE, else 'reuse'. */
  native?: 'reuse' | 'build';
  /** Progress lines; default stderr. */
  log?: (line: string) => void;
}

export function readRepoRecipe(): Recipe {
  return readRecipe(fs.readFileSync(path.join(REPO_ROOT, DOCKERFILE), 'utf8'));
}

/** How to start an artifact: the image's CMD with this Node, in its WORKDIR. */
export function artifactCommand(artifact: Artifact): {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
} {
  const [program, ...args] = artifact.command;
  if (program !== 'node') {
    throw new Error(`The image's CMD starts with '${program}', not node`);
  }
  return {
    command: process.execPath,
    args,
    cwd: artifact.dir,
    env: artifact.env,
  };
}

function copySources(recipe: Recipe): string[] {
  return recipe.steps.flatMap(step =>
    step.kind === 'copy' ? step.sources : [],
  );
}

/** The inputs' hash: every file's path and content, this Node and the native mode. */
export function inputsHash(recipe: Recipe, native: string): string {
  const paths = [
    ...BUILD_INPUTS,
    ...copySources(recipe).filter(source => !source.includes('/dist/')),
  ];
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '-co', '--exclude-standard', '--', ...paths],
    { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (listed.status !== 0) {
    throw new Error(`git ls-files failed: ${listed.stderr}`);
  }
  const files = [...new Set(listed.stdout.split('\0').filter(Boolean))]
    .filter(file => !NOT_IN_BUNDLE.test(file))
    .sort();
  const hash = crypto.createHash('sha256');
  hash.update(
    `${process.version} ${process.platform} ${process.arch} ${native}\n`,
  );
  for (const file of files) {
    const absolute = path.join(REPO_ROOT, file);
    if (fs.existsSync(absolute) && fs.statSync(absolute).isFile()) {
      hash.update(`${file}\0`);
      hash.update(fs.readFileSync(absolute));
      hash.update('\0');
    }
  }
  return hash.digest('hex').slice(0, 24);
}

/** Runs a command, its output to `log`; rejects with the output's tail when it fails. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; log: (line: string) => void },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n').filter(Boolean)) {
        options.log(`  ${line}`);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', code => {
      if (code === 0) {
        resolve(output);
      } else {
        reject(
          new Error(
            `'${[command, ...args].join(
              ' ',
            )}' failed with code ${code}:\n${output
              .split('\n')
              .slice(-40)
              .join('\n')}`,
          ),
        );
      }
    });
  });
}

function copyTree(
  from: string,
  to: string,
  relative: string,
  ignored: (file: string) => boolean,
) {
  if (fs.statSync(from).isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from)) {
      const child = `${relative}/${entry}`;
      if (!ignored(child)) {
        copyTree(path.join(from, entry), path.join(to, entry), child, ignored);
      }
    }
  } else {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

/** COPY as Docker does it: a directory's contents go into the destination. */
function copyStep(
  step: Extract<AppStep, { kind: 'copy' }>,
  work: string,
  ignored: (file: string) => boolean,
) {
  const intoDir = step.dest.endsWith('/') || step.sources.length > 1;
  const dest = path.resolve(work, step.dest);
  for (const source of step.sources) {
    const absolute = path.join(REPO_ROOT, source);
    if (ignored(source) || !fs.existsSync(absolute)) {
      throw new Error(
        `${DOCKERFILE} line ${step.line}: COPY ${source}: not in the build context (missing, or left out by .dockerignore); run \`yarn build:backend\` first for dist files`,
      );
    }
    const isDir = fs.statSync(absolute).isDirectory();
    const target =
      intoDir && !isDir ? path.join(dest, path.basename(source)) : dest;
    copyTree(absolute, target, source, ignored);
  }
}

/** Packages under `node_modules` with a node-gyp build, relative to `root`. */
function nativePackages(root: string): string[] {
  const found: string[] = [];
  const visit = (modules: string) => {
    if (!fs.existsSync(path.join(root, modules))) {
      return;
    }
    for (const entry of fs.readdirSync(path.join(root, modules))) {
      const names = entry.startsWith('@')
        ? fs
            .readdirSync(path.join(root, modules, entry))
            .map(n => `${entry}/${n}`)
        : [entry];
      for (const name of names) {
        const dir = `${modules}/${name}`;
        if (fs.existsSync(path.join(root, dir, 'binding.gyp'))) {
          found.push(dir);
        }
        visit(`${dir}/node_modules`);
      }
    }
  };
  visit('node_modules');
  return found;
}

/** Loads a compiled module in a fresh Node, as the backend would. */
function loads(file: string): boolean {
  const { NODE_OPTIONS, ...env } = process.env;
  return (
    spawnSync(process.execPath, ['-e', 'require(process.argv[1])', file], {
      env,
    }).status === 0
  );
}

function compiledModules(dir: string): string[] {
  const release = path.join(dir, 'build', 'Release');
  return fs.existsSync(release)
    ? fs.readdirSync(release).filter(file => file.endsWith('.node'))
    : [];
}

/** A package's version, from its package.json. */
function versionOf(dir: string): string | undefined {
  const file = path.join(dir, 'package.json');
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8')).version
    : undefined;
}

/**
 * Gives every native package of the install a compiled module that loads here, taken
 * from the workspace's own install of the same version; returns those it could not
 * serve that way. What is no Node addon at all (better-sqlite3's test_extension, an
 * SQLite extension) is not copied.
 */
function reuseNativeBuilds(work: string): string[] {
  const missing: string[] = [];
  for (const dir of nativePackages(work)) {
    const installed = path.join(work, dir);
    if (
      compiledModules(installed).some(m =>
        loads(path.join(installed, 'build', 'Release', m)),
      )
    ) {
      continue;
    }
    const built = path.join(REPO_ROOT, dir);
    const version = versionOf(installed);
    let served = false;
    if (version !== undefined && versionOf(built) === version) {
      for (const module of compiledModules(built)) {
        const from = path.join(built, 'build', 'Release', module);
        if (loads(from)) {
          const to = path.join(installed, 'build', 'Release', module);
          fs.mkdirSync(path.dirname(to), { recursive: true });
          fs.copyFileSync(from, to);
          served = true;
        }
      }
    }
    if (!served) {
      missing.push(`${dir}@${version}`);
    }
  }
  return missing;
}

/** Native packages of the install without a compiled module that loads here. */
function uncompiled(work: string): string[] {
  return nativePackages(work).filter(dir => {
    const installed = path.join(work, dir);
    return !compiledModules(installed).some(m =>
      loads(path.join(installed, 'build', 'Release', m)),
    );
  });
}

async function followRecipe(
  recipe: Recipe,
  work: string,
  options: Required<ArtifactOptions>,
): Promise<Artifact['native']> {
  const ignored = dockerignoreMatcher(
    fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8'),
  );
  const env: Record<string, string> = {};
  let native: Artifact['native'] = 'compiled';
  for (const step of recipe.steps) {
    if (step.kind === 'env') {
      Object.assign(env, step.vars);
      continue;
    }
    if (step.kind === 'copy') {
      options.log(`COPY ${step.sources.join(' ')} ${step.dest}`);
      copyStep(step, work, ignored);
      continue;
    }
    options.log(`RUN ${step.command}`);
    const { JEST_WORKER_ID, ...hostEnv } = process.env;
    const runEnv = { ...hostEnv, ...env, YARN_ENABLE_COLORS: '0' };
    const sh = (extra: Record<string, string> = {}) =>
      run('sh', ['-c', step.command], {
        cwd: work,
        env: { ...runEnv, ...extra },
        log: options.log,
      });
    if (!isInstallStep(step) || options.native === 'build') {
      await sh();
      continue;
    }
    await sh({ YARN_ENABLE_SCRIPTS: 'false' });
    const missing = reuseNativeBuilds(work);
    if (missing.length === 0) {
      native = 'reused';
    } else {
      options.log(`compiling, as in the image: ${missing.join(', ')}`);
      await sh();
    }
  }
  // however they came to be, every native module must load (a missing one only shows
  // when the code that needs it runs)
  const broken = uncompiled(work);
  if (broken.length > 0) {
    throw new Error(`No compiled module that loads for ${broken.join(', ')}`);
  }
  return native;
}

/** Waits for, then holds, a lock directory; a lock whose owner is gone is taken over. */
async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        // just made, or just removed
      }
      let alive = true;
      try {
        alive = owner === 0 || process.kill(owner, 0);
      } catch {
        alive = false;
      }
      if (!alive) {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
  fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Keeps the newest `keep` artifacts (one may still be running in another test). */
function prune(cacheDir: string, keep: number) {
  const artifacts = fs
    .readdirSync(cacheDir)
    .filter(name => /^[0-9a-f]{24}$/.test(name))
    .map(name => ({
      dir: path.join(cacheDir, name),
      mtime: fs.statSync(path.join(cacheDir, name)).mtimeMs,
    }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of artifacts.slice(keep)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // what an interrupted build left: its scratch directory, once nobody holds its lock
  for (const name of fs.readdirSync(cacheDir)) {
    const hash = /^([0-9a-f]{24})\.tmp$/.exec(name)?.[1];
    if (hash && !fs.existsSync(path.join(cacheDir, `${hash}.lock`))) {
      fs.rmSync(path.join(cacheDir, name), { recursive: true, force: true });
    }
  }
}

function readManifest(dir: string): Artifact | undefined {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  return { ...JSON.parse(fs.readFileSync(file, 'utf8')), dir };
}

/** The artifact of the current sources: reused when it exists, built otherwise. */
export async function ensureArtifact(
  options: ArtifactOptions = {},
): Promise<Artifact> {
  const settings: Required<ArtifactOptions> = {
    cacheDir:
      options.cacheDir ??
      process.env.PORTAL_ARTIFACT_CACHE ??
      path.join(os.tmpdir(), 'portal-artifact'),
    native:
      options.native ??
      (process.env.PORTAL_ARTIFACT_NATIVE === 'build' ? 'build' : 'reuse'),
    log: options.log ?? (line => process.stderr.write(`${line}\n`)),
  };
  const recipe = readRepoRecipe();
  const nodeMajor = /^node:(\d+)/.exec(recipe.baseImage)?.[1];
  if (nodeMajor !== process.versions.node.split('.')[0]) {
    throw new Error(
      `The image runs ${recipe.baseImage}; this host runs Node ${process.version}. Run through scripts/bootstrap.sh, which provides Node ${nodeMajor}.`,
    );
  }
  const hash = inputsHash(recipe, settings.native);
  const dir = path.join(settings.cacheDir, hash);
  fs.mkdirSync(settings.cacheDir, { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    const existing = readManifest(dir);
    if (existing) {
      settings.log(`artifact ${hash}: up to date in ${dir}`);
      return existing;
    }
    const started = Date.now();
    settings.log(`artifact ${hash}: yarn build:backend`);
    // as on a CI host: not the NODE_ENV of a test runner that calls this
    const { NODE_ENV, JEST_WORKER_ID, ...hostEnv } = process.env;
    await run('yarn', ['build:backend'], {
      cwd: REPO_ROOT,
      env: hostEnv,
      log: settings.log,
    });
    const work = `${dir}.tmp`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    const native = await followRecipe(recipe, work, settings);
    const artifact: Omit<Artifact, 'dir'> = {
      hash,
      env: recipe.env,
      command: recipe.command,
      native,
    };
    fs.writeFileSync(
      path.join(work, MANIFEST),
      `${JSON.stringify(artifact, undefined, 2)}\n`,
    );
    fs.renameSync(work, dir);
    prune(settings.cacheDir, 2);
    settings.log(
      `artifact ${hash}: built in ${Math.round(
        (Date.now() - started) / 1000,
      )}s, native modules ${native}, in ${dir}`,
    );
    return { ...artifact, dir };
  });
}
