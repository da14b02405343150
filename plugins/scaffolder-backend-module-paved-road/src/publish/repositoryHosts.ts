import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { RepositoryPages } from '../browse/pages';
import { PublishTarget } from '../config';
import { GithubRepositoryHost } from './GithubRepositoryHost';
import { LocalRepositoryHost } from './LocalRepositoryHost';
import { RepositoryHost } from './RepositoryHost';

/** The one repository host of this portal, from `pavedRoad.publish`. */
export function createRepositoryHost(options: {
  publish: PublishTarget;
  integrations: ScmIntegrationRegistry;
  credentialsProvider?: GithubCredentialsProvider;
  /** `scaffolder.defaultAuthor`: the author of the portal's commits. */
  author: { name: string; email: string };
  /** `scaffolder.defaultCommitMessage`: a new repository's one commit. */
  initialCommitMessage: string;
}): RepositoryHost {
  const { publish, author, initialCommitMessage } = options;
  if (publish.kind === 'local') {
    return LocalRepositoryHost.create({
      directory: publish.directory,
      pages: RepositoryPages.create({ portalBaseUrl: publish.portalBaseUrl }),
      author,
      initialCommitMessage,
    });
  }
  return GithubRepositoryHost.create({
    integrations: options.integrations,
    credentialsProvider: options.credentialsProvider,
    author,
    initialCommitMessage,
  });
}
