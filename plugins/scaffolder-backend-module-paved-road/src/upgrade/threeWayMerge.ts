import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git } from '../git/git';
import { FileChange } from '../publish/RepositoryHost';

/** A repository's files by path (forward slashes); absent files are missing keys. */
export type FileSet = ReadonlyMap<string, string>;

/** Why a file the template changed was left as the service has it. */
export type KeptFile = {
  path: string;
  reason: 'deleted-by-service' | 'changed-by-service';
};

/** What merging the template's change into the service gives. */
export type MergeOutcome = {
  /** Files to write (or, `content` undefined, to remove), sorted by path. */
  changes: FileChange[];
  /** Files whose change holds conflict markers, sorted. */
  conflicts: string[];
  /** Files the template changed or removed but the service's choice was kept. */
  kept: KeptFile[];
};

export type MergeLabels = { ours: string; base: string; theirs: string };

/**
 * git's own three-way file merge (`git merge-file`, the xdiff merge `git merge` runs
 * per file): returns the merged text and whether it holds conflict markers.
 */
async function mergeFile(
  scratch: string,
  texts: { ours: string; base: string; theirs: string },
  labels: MergeLabels,
): Promise<{ text: string; conflicted: boolean }> {
  const dir = await fs.mkdtemp(path.join(scratch, 'merge-'));
  const files = {
    ours: path.join(dir, 'ours'),
    base: path.join(dir, 'base'),
    theirs: path.join(dir, 'theirs'),
  };
  await Promise.all([
    fs.writeFile(files.ours, texts.ours),
    fs.writeFile(files.base, texts.base),
    fs.writeFile(files.theirs, texts.theirs),
  ]);
  const args = [
    'merge-file',
    '--stdout',
    // the conflict shows what the template had too, to tell whose change is whose
    '--diff3',
    '-L',
    labels.ours,
    '-L',
    labels.base,
    '-L',
    labels.theirs,
    files.ours,
    files.base,
    files.theirs,
  ];
  try {
    // exit 0: merged cleanly
    return { text: await git(dir, args, { raw: true }), conflicted: false };
  } catch (error) {
    const { code, stdout } = error as { code?: unknown; stdout?: string };
    // a positive exit status is the number of conflicts; the merged text is on stdout
    if (typeof code === 'number' && code > 0 && code < 128 && stdout) {
      return { text: stdout, conflicted: true };
    }
    throw error;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Applies the template's change (`base` → `theirs`, both rendered with the service's
 * answers) to the service (`ours`), file by file, as a three-way merge:
 *
 * - a file the template did not change is left alone, whatever the service did to it;
 * - a file the service left as generated takes the template's new version (added,
 *   changed or removed);
 * - a file both changed is merged by git; overlapping edits become conflict markers;
 * - a file the service deleted stays deleted, and one the template removed but the
 *   service changed stays (both listed in `kept`).
 */
export async function threeWayMerge(options: {
  base: FileSet;
  theirs: FileSet;
  ours: FileSet;
  labels: MergeLabels;
}): Promise<MergeOutcome> {
  const { base, theirs, ours, labels } = options;
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort();
  const changes: FileChange[] = [];
  const conflicts: string[] = [];
  const kept: KeptFile[] = [];
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-road-merge-'));
  try {
    for (const file of paths) {
      const b = base.get(file);
      const t = theirs.get(file);
      const o = ours.get(file);
      if (b === t || o === t) {
        continue;
      }
      if (o === b) {
        changes.push({ path: file, content: t });
      } else if (o === undefined) {
        kept.push({ path: file, reason: 'deleted-by-service' });
      } else if (t === undefined) {
        kept.push({ path: file, reason: 'changed-by-service' });
      } else {
        const merged = await mergeFile(
          scratch,
          { ours: o, base: b ?? '', theirs: t },
          labels,
        );
        if (merged.text !== o) {
          changes.push({ path: file, content: merged.text });
        }
        if (merged.conflicted) {
          conflicts.push(file);
        }
      }
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
  return { changes, conflicts, kept };
}
