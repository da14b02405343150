import { mockServices } from '@backstage/backend-test-utils';
import { Config } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ExistingRepositoryJudges } from '../actions/repoPublish';
import { ScaffolderTasks } from '../clients/scaffolderTasks';
import {
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { readPavedRoadConfig } from '../config';
import { readDefaultAuthor, readInitialCommitMessage } from '../git/git';
import { createRepositoryHost } from '../publish/repositoryHosts';
import { RepositoryHost } from '../publish/RepositoryHost';

/**
 * The repository host and integrations the module builds from this config, and what
 * `portal:repo:publish` judges a repository found with: by default a catalog with no
 * entity and the scaffolder's task API at mock discovery (tests that need it serve it
 * with msw).
 */
export function publishOptions(
  config: Config,
  credentialsProvider?: GithubCredentialsProvider,
  judges: Partial<ExistingRepositoryJudges> = {},
): {
  host: RepositoryHost;
  integrations: ScmIntegrations;
} & ExistingRepositoryJudges {
  const integrations = ScmIntegrations.fromConfig(config);
  return {
    tasks:
      judges.tasks ??
      ScaffolderTasks.create({
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
      }),
    catalog: judges.catalog ?? catalogServiceMock(),
    auth: judges.auth ?? mockServices.auth(),
    host: createRepositoryHost({
      publish: readPavedRoadConfig(config).publish,
      integrations,
      credentialsProvider,
      author: readDefaultAuthor(config),
      initialCommitMessage: readInitialCommitMessage(config),
    }),
    integrations,
  };
}
