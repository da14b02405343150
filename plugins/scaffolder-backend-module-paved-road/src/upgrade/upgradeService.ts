import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import { proposeChange } from '../publish/proposeChange';
import {
  ChangeRequest,
  RepositoryHost,
  RepositoryRef,
  taskTrailer,
} from '../publish/RepositoryHost';
import { RenderContext, SkeletonRenderer } from '../skeletons/SkeletonRenderer';
import {
  ANSWERS_FILE,
  parseAnswers,
  ServiceAnswers,
  stringifyAnswers,
  VERSION_VALUE,
} from './answers';
import { PortalSources } from './portalSources';
import { renderLayers } from './renderLayers';
import { FileSet, KeptFile, threeWayMerge } from './threeWayMerge';
import {
  branchVersion,
  UPGRADE_BRANCH_PREFIX,
  upgradeBranch,
  upgradeProposal,
} from './upgradeProposal';

/** What upgrading a service found or did. */
export type UpgradeOutcome =
  | {
      state: 'up-to-date';
      template: string;
      version: number;
      current: number;
    }
  | {
      state: 'proposed';
      template: string;
      version: number;
      current: number;
      /** false when the upgrade to `current` was open already: nothing new was opened. */
      created: boolean;
      branch: string;
      url: string;
      number?: number;
      commitHash?: string;
      /** Files written or removed by the change (the answers file left out). */
      changed: string[];
      conflicts: string[];
      kept: KeptFile[];
      /** Older upgrade branches (or pull requests) closed in favour of this one. */
      superseded: string[];
    };

/** What the engine needs, once per portal: where skeletons and their history are. */
export type UpgradeEngine = {
  host: RepositoryHost;
  renderer: SkeletonRenderer;
  sources: PortalSources;
};

/**
 * The engine's parts for this portal, or an error that says why upgrades cannot run
 * here: they need the skeletons on the portal host inside the portal's git repository.
 */
export async function createUpgradeEngine(options: {
  host: RepositoryHost;
  renderer: SkeletonRenderer;
}): Promise<UpgradeEngine> {
  const dir = options.renderer.directory;
  const sources = dir ? await PortalSources.find(dir) : undefined;
  if (!sources) {
    throw new NotFoundError(
      'Template upgrades need the skeletons in a directory of the portal host that is a git repository with its history (pavedRoad.skeletons.location)',
    );
  }
  return { ...options, sources };
}

async function readAnswers(
  host: RepositoryHost,
  repo: RepositoryRef,
  ref: string,
): Promise<ServiceAnswers> {
  const text = await host.readFile(repo, ANSWERS_FILE, ref);
  if (text === undefined) {
    throw new InputError(
      `${repo.owner}/${repo.name} has no ${ANSWERS_FILE} on ${ref}: it was not made by a golden path that records how it was made, so there is nothing to upgrade from`,
    );
  }
  return parseAnswers(text);
}

async function readOurs(
  host: RepositoryHost,
  repo: RepositoryRef,
  ref: string,
  paths: string[],
): Promise<FileSet> {
  if (host.readFiles) {
    return host.readFiles(repo, paths, ref);
  }
  const ours = new Map<string, string>();
  for (const file of paths) {
    const text = await host.readFile(repo, file, ref);
    if (text !== undefined) {
      ours.set(file, text);
    }
  }
  return ours;
}

/**
 * Proposes the upgrade of one service to the current version of its template: renders
 * the version it was made from (base: the skeletons at the recorded portal revision,
 * read from git) and the current one (theirs) with its recorded answers, merges the
 * difference into the repository's default branch (ours) with git's three-way merge,
 * and opens one commit on `paved-road/upgrade-<version>`: a pull request on GitHub, a
 * branch on the embedded defaults. Idempotent: an open upgrade to that version is
 * reported, not opened again; older upgrade branches are closed, superseded.
 * `dryRun` computes the change and opens or closes nothing.
 */
export async function upgradeService(
  engine: UpgradeEngine,
  request: {
    repo: RepositoryRef;
    ctx: RenderContext;
    taskId?: string;
    dryRun?: boolean;
  },
): Promise<UpgradeOutcome> {
  const { host, renderer, sources } = engine;
  const { repo, ctx } = request;
  const head = await host.defaultBranch(repo);
  const ref = head.commitHash ?? head.name;
  const answers = await readAnswers(host, repo, ref);
  const current = await sources.currentVersion(answers.template);
  if (current === undefined) {
    throw new NotFoundError(
      `The template '${answers.template}' that made ${repo.owner}/${repo.name} has no versioned template.yaml in the portal any more`,
    );
  }
  const facts = {
    template: answers.template,
    version: answers.version,
    current,
  };
  if (answers.version >= current) {
    return { state: 'up-to-date', ...facts };
  }
  const branch = upgradeBranch(current);
  const open = await host.findChangeRequest(repo, branch);
  const supersede = (url: string) =>
    request.dryRun
      ? olderUpgrades(host, repo, current).then(older =>
          older.map(o => o.branch),
        )
      : closeOlder(host, repo, current, url);
  if (open) {
    const superseded = await supersede(open.url);
    // this task's own, opened before a restart: still reported as created
    const message = request.taskId
      ? await host.commitMessage(repo, open.commitHash ?? open.branch)
      : undefined;
    return {
      state: 'proposed',
      ...facts,
      created: message !== undefined && taskTrailer(message) === request.taskId,
      ...open,
      changed: [],
      conflicts: [],
      kept: [],
      superseded,
    };
  }

  const { portalRevision } = answers;
  if (!portalRevision) {
    throw new InputError(
      `${ANSWERS_FILE} of ${repo.owner}/${repo.name} records no portalRevision (the portal that made it ran without its git history), so the version it was made from cannot be rendered`,
    );
  }
  const to: ServiceAnswers = {
    ...answers,
    version: current,
    portalRevision: await sources.revision(),
  };
  const scratch = await fs.mkdtemp(
    path.join(os.tmpdir(), 'paved-road-upgrade-'),
  );
  try {
    const render = (side: string, on: SkeletonRenderer, version: number) =>
      renderLayers({
        renderer: on,
        ctx,
        layers: answers.skeletons,
        values: { ...answers.values, [VERSION_VALUE]: String(version) },
        outDir: path.join(scratch, side),
      });
    const baseSkeletons = path.join(scratch, 'base-skeletons');
    await fs.mkdir(baseSkeletons);
    await sources.extract(portalRevision, answers.skeletons, baseSkeletons);
    const base = await render(
      'base',
      renderer.at(baseSkeletons),
      answers.version,
    );
    const theirs = await render('theirs', renderer, current);
    const paths = [...new Set([...base.keys(), ...theirs.keys()])];
    const merge = await threeWayMerge({
      base,
      theirs,
      ours: await readOurs(host, repo, ref, paths),
      labels: {
        ours: `${repo.name} (${head.name})`,
        base: `${answers.template} version ${answers.version}`,
        theirs: `${answers.template} version ${current}`,
      },
    });
    const proposal = upgradeProposal({
      from: answers,
      to,
      merge,
      answersFile: { path: ANSWERS_FILE, content: stringifyAnswers(to) },
    });
    const outcome = await proposeChange(host, repo, proposal, {
      inspectOnly: request.dryRun,
      taskId: request.taskId,
    });
    const superseded = await supersede(outcome.url);
    return {
      state: 'proposed',
      ...facts,
      ...outcome,
      changed: merge.changes.map(change => change.path),
      conflicts: merge.conflicts,
      kept: merge.kept,
      superseded,
    };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

/** The open upgrades to versions before `current`. */
async function olderUpgrades(
  host: RepositoryHost,
  repo: RepositoryRef,
  current: number,
): Promise<ChangeRequest[]> {
  const open = await host.listChangeRequests(repo, UPGRADE_BRANCH_PREFIX);
  return open.filter(request => {
    const version = branchVersion(request.branch);
    return version !== undefined && version < current;
  });
}

/** Closes the open upgrades to versions before `current`; returns their branches. */
async function closeOlder(
  host: RepositoryHost,
  repo: RepositoryRef,
  current: number,
  newer: string,
): Promise<string[]> {
  const older = await olderUpgrades(host, repo, current);
  for (const request of older) {
    await host.closeChangeRequest(
      repo,
      request,
      `Superseded by the upgrade to version ${current}: ${newer}`,
    );
  }
  return older.map(request => request.branch);
}
