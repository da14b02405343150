import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { useMemo } from 'react';

// The shapes of GET /api/scaffolder/paved-road/repositories/<owner>/<name>[/tree|/file|/diff]
// (plugins/scaffolder-backend-module-paved-road, src/service/repositoryRoutes.ts).

export type Branch = {
  name: string;
  commit: string;
  date: string;
  subject: string;
};

export type RepositorySummary = {
  owner: string;
  name: string;
  entityRef: string;
  defaultBranch: string;
  branches: Branch[];
};

export type TreeEntry = {
  name: string;
  path: string;
  type: 'tree' | 'blob' | 'symlink' | 'submodule';
  size?: number;
};

export type Tree = {
  ref: string;
  commit: string;
  path: string;
  entries: TreeEntry[];
};

export type File = {
  ref: string;
  commit: string;
  path: string;
  size: number;
  binary: boolean;
  truncated: boolean;
  content: string;
  symlinkTarget?: string;
};

export type Diff = {
  base: string;
  branch: string;
  patch: string;
  truncated: boolean;
};

/** A failed call, with the backend's sentence and its status. */
export class RepositoryRequestError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** Reads the local repositories the portal serves, as the signed-in user. */
export class RepositoriesClient {
  constructor(
    private readonly discoveryApi: typeof discoveryApiRef.T,
    private readonly fetchApi: typeof fetchApiRef.T,
  ) {}

  private async get<T>(
    repo: { owner: string; name: string },
    view: string,
    query: Record<string, string> = {},
  ): Promise<T> {
    const base = await this.discoveryApi.getBaseUrl('scaffolder');
    const params = new URLSearchParams(query).toString();
    const url = `${base}/paved-road/repositories/${encodeURIComponent(
      repo.owner,
    )}/${encodeURIComponent(repo.name)}${view}${params ? `?${params}` : ''}`;
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      const message: string =
        body?.error?.message ?? `${response.status} ${response.statusText}`;
      throw new RepositoryRequestError(message, response.status);
    }
    return (await response.json()) as T;
  }

  summary(repo: { owner: string; name: string }): Promise<RepositorySummary> {
    return this.get(repo, '');
  }

  tree(repo: { owner: string; name: string }, ref: string, path: string) {
    return this.get<Tree>(repo, '/tree', { ref, path });
  }

  file(repo: { owner: string; name: string }, ref: string, path: string) {
    return this.get<File>(repo, '/file', { ref, path });
  }

  diff(repo: { owner: string; name: string }, branch: string) {
    return this.get<Diff>(repo, '/diff', { branch });
  }
}

export function useRepositoriesClient(): RepositoriesClient {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => new RepositoriesClient(discoveryApi, fetchApi),
    [discoveryApi, fetchApi],
  );
}
