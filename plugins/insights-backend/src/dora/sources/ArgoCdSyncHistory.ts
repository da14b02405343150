import { ResponseError } from '@backstage/errors';
import { DeploymentFact } from '../deployments';

type ArgoApplication = {
  status?: {
    history?: Array<{
      id: number;
      revision?: string;
      deployedAt: string;
      deployStartedAt?: string;
    }>;
    operationState?: {
      phase: 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';
      finishedAt?: string;
      operation?: { sync?: { revision?: string } };
      syncResult?: { revision?: string };
    };
  };
};

/**
 * The sync history of an Argo CD Application (`GET /api/v1/applications/{name}`, a
 * bearer token): every entry of `status.history` is a successful sync; the last
 * operation, when it failed, is a failed deployment. An application never synced has
 * no history and gives no deployment.
 */
export class ArgoCdSyncHistory {
  constructor(
    private readonly options: {
      baseUrl: string;
      token: string;
      fetch?: typeof fetch;
    },
  ) {}

  async read(options: {
    application: string;
    service: string;
    since: Date;
  }): Promise<DeploymentFact[]> {
    const url = new URL(
      `/api/v1/applications/${encodeURIComponent(options.application)}`,
      this.options.baseUrl,
    );
    const response = await (this.options.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${this.options.token}` },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const app = (await response.json()) as ArgoApplication;
    const facts: DeploymentFact[] = [];
    for (const entry of app.status?.history ?? []) {
      if (
        entry.revision &&
        Date.parse(entry.deployedAt) >= options.since.getTime()
      ) {
        facts.push({
          source: 'argocd',
          service: options.service,
          commit: entry.revision,
          deployedAt: entry.deployedAt,
          status: 'success',
        });
      }
    }
    const last = app.status?.operationState;
    const revision =
      last?.syncResult?.revision ?? last?.operation?.sync?.revision;
    if (
      last &&
      (last.phase === 'Failed' || last.phase === 'Error') &&
      last.finishedAt &&
      revision &&
      Date.parse(last.finishedAt) >= options.since.getTime()
    ) {
      facts.push({
        source: 'argocd',
        service: options.service,
        commit: revision,
        deployedAt: last.finishedAt,
        status: last.phase === 'Failed' ? 'failure' : 'error',
      });
    }
    return facts;
  }
}
