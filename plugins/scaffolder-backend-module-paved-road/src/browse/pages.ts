import { RepositoryRef } from '../publish/RepositoryHost';

/**
 * The portal's pages of a local repository (`packages/app`, module `repositories`):
 * where a task's "Repository" and "Pull request" links lead on the embedded defaults.
 * Laid out as GitHub lays out its pages (`/blob/<branch>/<path>`), so a link built for
 * one host reads the same on the other.
 */
export class RepositoryPages {
  static create(options: { portalBaseUrl: string }): RepositoryPages {
    return new RepositoryPages(options.portalBaseUrl.replace(/\/+$/, ''));
  }

  private constructor(private readonly baseUrl: string) {}

  /** The repository's files on its default branch. */
  repository(repo: RepositoryRef): string {
    return `${this.baseUrl}/repositories/${repo.owner}/${repo.name}`;
  }

  /** One file on a branch. */
  file(repo: RepositoryRef, branch: string, filePath: string): string {
    return `${this.repository(repo)}/blob/${segments(branch)}/${segments(
      filePath,
    )}`;
  }

  /** What a branch changes against the default branch: the local pull request. */
  diff(repo: RepositoryRef, branch: string): string {
    return `${this.repository(repo)}/compare/${segments(branch)}`;
  }
}

/** A branch or path in a URL: each name encoded, the slashes between them kept. */
function segments(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}
