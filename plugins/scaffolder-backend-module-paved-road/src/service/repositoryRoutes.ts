import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  stringifyEntityRef,
  stringifyLocationRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { LocalRepositoryBrowser } from '../browse/LocalRepositoryBrowser';
import { repositoryName, repositoryPath, revisionName } from '../browse/names';
import { RepositoryRef } from '../publish/RepositoryHost';

/**
 * Read-only HTTP views of the local repositories, under the scaffolder's API
 * (`/api/scaffolder/paved-road/repositories/<owner>/<name>`): its branches, a directory, a file,
 * a branch's diff against the default branch. A repository is shown to those who may
 * see the catalog entity registered from it (read with the caller's credentials, so the
 * catalog's permission rules apply); to anyone else it does not exist (404).
 */
export function createRepositoryRoutes(options: {
  browser: LocalRepositoryBrowser;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
}): express.Router {
  const { browser, catalog, httpAuth } = options;
  const router = Router();

  /** The entity that came from the repository, as the caller may see it. */
  async function visibleEntity(
    repo: RepositoryRef,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const location = stringifyLocationRef({
      type: 'file',
      target: browser.catalogFile(repo),
    });
    const { items } = await catalog.getEntities(
      {
        filter: { [`metadata.annotations.${ANNOTATION_LOCATION}`]: location },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    if (items.length === 0) {
      throw new NotFoundError(`No repository '${repo.owner}/${repo.name}'`);
    }
    return stringifyEntityRef(items[0]);
  }

  /** The repository the path names, once the caller may see it. */
  async function repository(req: express.Request) {
    const repo: RepositoryRef = {
      host: 'portal',
      owner: repositoryName('owner', req.params.owner),
      name: repositoryName('name', req.params.name),
    };
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = await visibleEntity(repo, credentials);
    return { repo, entityRef };
  }

  router.get('/paved-road/repositories/:owner/:name', async (req, res) => {
    const { repo, entityRef } = await repository(req);
    const [defaultBranch, branches] = await Promise.all([
      browser.defaultBranch(repo),
      browser.branches(repo),
    ]);
    res.json({
      owner: repo.owner,
      name: repo.name,
      entityRef,
      defaultBranch,
      branches,
    });
  });

  router.get('/paved-road/repositories/:owner/:name/tree', async (req, res) => {
    const { repo } = await repository(req);
    const ref = revisionName('ref', req.query.ref);
    const dirPath = repositoryPath('path', req.query.path);
    res.json({ ref: ref.name, ...(await browser.tree(repo, ref, dirPath)) });
  });

  router.get('/paved-road/repositories/:owner/:name/file', async (req, res) => {
    const { repo } = await repository(req);
    const ref = revisionName('ref', req.query.ref);
    const filePath = repositoryPath('path', req.query.path);
    res.json({ ref: ref.name, ...(await browser.file(repo, ref, filePath)) });
  });

  router.get('/paved-road/repositories/:owner/:name/diff', async (req, res) => {
    const { repo } = await repository(req);
    const branch = revisionName('branch', req.query.branch);
    res.json(await browser.diff(repo, branch));
  });

  return router;
}
