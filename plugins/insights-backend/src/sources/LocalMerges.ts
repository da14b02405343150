import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The portal's page of a local branch, as portal:infra:request links it.
const COMPARE_URL =
  /^https?:\/\/[^/]+\/repositories\/([^/]+)\/([^/]+)\/compare\/(.+)$/;
const NAME = /^(?!\.{1,2}$)[\w.-]+$/;

/**
 * When the branches of infra requests on the embedded defaults were merged: the local
 * repositories (`pavedRoad.publish.local.directory`) are read with git. A branch is
 * merged once its tip is in the default branch; it was merged when the first commit of
 * the default branch's first-parent line containing it was committed (the tip's own
 * commit time after a fast-forward). A deleted branch cannot be told apart from one never
 * pushed, so it has no merge time.
 */
export class LocalMerges {
  constructor(private readonly directory: string | undefined) {}

  async mergedAt(urls: string[]): Promise<Record<string, string | undefined>> {
    const result: Record<string, string | undefined> = {};
    for (const url of urls) {
      const match = COMPARE_URL.exec(url);
      if (!this.directory || !match) {
        continue;
      }
      const [owner, repo] = [match[1], match[2]].map(decodeURIComponent);
      const branch = match[3].split('/').map(decodeURIComponent).join('/');
      if (!NAME.test(owner) || !NAME.test(repo) || branch.startsWith('-')) {
        continue;
      }
      result[url] = await this.branchMergedAt(
        path.join(this.directory, owner, repo),
        branch,
      );
    }
    return result;
  }

  private async branchMergedAt(
    dir: string,
    branch: string,
  ): Promise<string | undefined> {
    const git = async (...args: string[]) =>
      (
        await run('git', ['-c', 'core.fsmonitor=false', ...args], {
          cwd: dir,
          env: { ...process.env, GIT_LITERAL_PATHSPECS: '1' },
        })
      ).stdout.trim();
    try {
      const tip = await git(
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}^{commit}`,
      );
      // Fails (exit 1) while the branch is not merged.
      await git('merge-base', '--is-ancestor', tip, 'HEAD');
      const bringers = await git(
        'rev-list',
        '--first-parent',
        '--ancestry-path',
        '--reverse',
        `${tip}..HEAD`,
      );
      const [first] = bringers.split('\n').filter(Boolean);
      const at = await git('show', '-s', '--format=%cI', first ?? tip);
      return new Date(at).toISOString();
    } catch {
      return undefined;
    }
  }
}
