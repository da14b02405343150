import { ChangeProposal, FileChange } from '../publish/RepositoryHost';
import { ServiceAnswers } from './answers';
import { MergeOutcome } from './threeWayMerge';

/** Every upgrade branch starts so; the version follows. */
export const UPGRADE_BRANCH_PREFIX = 'paved-road/upgrade-';

export function upgradeBranch(version: number): string {
  return `${UPGRADE_BRANCH_PREFIX}${version}`;
}

/** The version an upgrade branch proposes, or undefined for another branch. */
export function branchVersion(branch: string): number | undefined {
  const match = new RegExp(`^${UPGRADE_BRANCH_PREFIX}(\\d{1,9})$`).exec(branch);
  return match ? Number(match[1]) : undefined;
}

function list(items: string[]): string {
  return items.map(item => `- \`${item}\``).join('\n');
}

/**
 * The change request of an upgrade: one commit with the merged files and the bumped
 * answers; its description says what the template changed, where both sides changed
 * the same lines (conflict markers to resolve before merging), and what was kept.
 */
export function upgradeProposal(options: {
  from: ServiceAnswers;
  to: ServiceAnswers;
  merge: MergeOutcome;
  answersFile: FileChange;
}): ChangeProposal {
  const { from, to, merge, answersFile } = options;
  const title = `Upgrade to ${to.template} version ${to.version} (from ${from.version})`;
  const added = merge.changes.filter(c => c.content !== undefined);
  const removed = merge.changes.filter(c => c.content === undefined);
  const sections = [
    `The golden path \`${to.template}\` moved from version ${from.version} to ${to.version}. This change is the template's change merged into this repository with git's three-way merge: your own edits are kept.`,
  ];
  if (added.length > 0) {
    sections.push(`Written:\n${list(added.map(c => c.path))}`);
  }
  if (removed.length > 0) {
    sections.push(
      `Removed (the template dropped them and this repository had them as generated):\n${list(
        removed.map(c => c.path),
      )}`,
    );
  }
  if (merge.conflicts.length > 0) {
    sections.push(
      `**Conflicts**: both the template and this repository changed the same lines. Resolve the \`<<<<<<<\` … \`>>>>>>>\` markers in these files before merging:\n${list(
        merge.conflicts,
      )}`,
    );
  }
  const deleted = merge.kept.filter(k => k.reason === 'deleted-by-service');
  const changed = merge.kept.filter(k => k.reason === 'changed-by-service');
  if (deleted.length > 0) {
    sections.push(
      `Left deleted (you removed them; the template changed them):\n${list(
        deleted.map(k => k.path),
      )}`,
    );
  }
  if (changed.length > 0) {
    sections.push(
      `Kept (the template dropped them, but you changed them):\n${list(
        changed.map(k => k.path),
      )}`,
    );
  }
  const conflictLine =
    merge.conflicts.length > 0
      ? `\n\nConflicts to resolve: ${merge.conflicts.join(', ')}\n`
      : '\n';
  return {
    branch: upgradeBranch(to.version),
    title,
    body: sections.join('\n\n'),
    // a plain branch has no description: its commit says what to resolve
    commitMessage: `${title}${conflictLine}`,
    files: [...merge.changes, answersFile],
  };
}
