import { Config } from '@backstage/config';
import {
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { readPavedRoadConfig } from '../config';
import { readDefaultAuthor, readInitialCommitMessage } from '../git/git';
import { createRepositoryHost } from '../publish/repositoryHosts';
import { RepositoryHost } from '../publish/RepositoryHost';

/** The repository host and integrations the module builds from this config. */
export function publishOptions(
  config: Config,
  credentialsProvider?: GithubCredentialsProvider,
): { host: RepositoryHost; integrations: ScmIntegrations } {
  const integrations = ScmIntegrations.fromConfig(config);
  return {
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
