import {
  Content,
  Header,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Breadcrumbs from '@material-ui/core/Breadcrumbs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import {
  RepositoryRequestError,
  RepositorySummary,
  useRepositoriesClient,
} from './api';
import { useLoaded } from '../home/useLoaded';
import { parseView, RepositoryView, segments } from './location';
import { repositoriesRouteRef } from './routes';
import { BranchesView, DiffView, FileView, TreeView } from './views';

const useStyles = makeStyles((theme: Theme) => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(3),
    marginBottom: theme.spacing(2),
  },
  branch: { minWidth: 260 },
  crumbs: { fontFamily: 'monospace', fontSize: '1rem' },
}));

type Repo = { owner: string; name: string };

/** A sentence for a failed read: a 404 says why a repository may not show. */
function Failure(props: { error: Error; what: string }) {
  const { error, what } = props;
  const notFound =
    error instanceof RepositoryRequestError && error.status === 404;
  return (
    <Typography role="alert" color="error">
      {notFound
        ? `${error.message}.`
        : `The ${what} could not be read: ${error.message}`}
      {notFound && what === 'repository'
        ? ' Repositories are shown to those who may see their service in the catalog.'
        : ''}
    </Typography>
  );
}

/** Where the repository's pages are, and a path under it. */
function useBase(repo: Repo): string {
  const root = useRouteRef(repositoriesRouteRef)?.() ?? '/repositories';
  return `${root.replace(/\/$/, '')}/${repo.owner}/${repo.name}`;
}

function PathCrumbs(props: {
  repo: Repo;
  refName: string;
  path: string;
  base: string;
}) {
  const classes = useStyles();
  const { repo, refName, path, base } = props;
  const names = path ? path.split('/') : [];
  return (
    <Breadcrumbs aria-label="Path" className={classes.crumbs}>
      {names.length === 0 ? (
        <Typography className={classes.crumbs}>{repo.name}</Typography>
      ) : (
        <Link to={`${base}/tree/${segments(refName)}`}>{repo.name}</Link>
      )}
      {names.map((name, i) => {
        const prefix = names.slice(0, i + 1).join('/');
        return i === names.length - 1 ? (
          <Typography key={prefix} className={classes.crumbs}>
            {name}
          </Typography>
        ) : (
          <Link
            key={prefix}
            to={`${base}/tree/${segments(refName)}/${segments(prefix)}`}
          >
            {name}
          </Link>
        );
      })}
    </Breadcrumbs>
  );
}

function BranchSelect(props: {
  summary: RepositorySummary;
  value: string;
  base: string;
}) {
  const classes = useStyles();
  const navigate = useNavigate();
  const { summary, value, base } = props;
  const known = summary.branches.some(b => b.name === value);
  return (
    <TextField
      select
      id="repository-branch"
      label="Branch"
      value={value}
      className={classes.branch}
      SelectProps={{ native: true }}
      onChange={event =>
        navigate(`${base}/tree/${segments(event.target.value)}`)
      }
    >
      {known ? null : <option value={value}>{value.slice(0, 12)}</option>}
      {summary.branches.map(b => (
        <option key={b.name} value={b.name}>
          {b.name}
        </option>
      ))}
    </TextField>
  );
}

function Loaded<T>(props: {
  load: () => Promise<T>;
  deps: unknown[];
  what: string;
  children: (value: T) => ReactNode;
}) {
  const { value, loading, error } = useLoaded(props.load, props.deps);
  if (loading) return <Progress />;
  if (error) return <Failure error={error} what={props.what} />;
  return <>{value === undefined ? null : props.children(value)}</>;
}

function ViewContent(props: {
  repo: Repo;
  summary: RepositorySummary;
  view: RepositoryView;
  base: string;
}) {
  const classes = useStyles();
  const client = useRepositoriesClient();
  const { repo, summary, view, base } = props;
  switch (view.kind) {
    case 'tree':
    case 'blob':
      return (
        <>
          <div className={classes.bar}>
            <BranchSelect summary={summary} value={view.ref} base={base} />
            <PathCrumbs
              repo={repo}
              refName={view.ref}
              path={view.path}
              base={base}
            />
          </div>
          {view.kind === 'tree' ? (
            // keyed: a new place is a new load, never the last one's answer
            <Loaded
              key={`tree:${view.ref}:${view.path}`}
              what="directory"
              load={() => client.tree(repo, view.ref, view.path)}
              deps={[client, repo.owner, repo.name, view.ref, view.path]}
            >
              {tree => <TreeView tree={tree} base={base} />}
            </Loaded>
          ) : (
            <Loaded
              key={`blob:${view.ref}:${view.path}`}
              what="file"
              load={() => client.file(repo, view.ref, view.path)}
              deps={[client, repo.owner, repo.name, view.ref, view.path]}
            >
              {file => <FileView file={file} />}
            </Loaded>
          )}
        </>
      );
    case 'compare':
      return (
        <Loaded
          key={`compare:${view.branch}`}
          what="diff"
          load={() => client.diff(repo, view.branch)}
          deps={[client, repo.owner, repo.name, view.branch]}
        >
          {diff => <DiffView diff={diff} />}
        </Loaded>
      );
    case 'branches':
      return (
        <BranchesView
          branches={summary.branches}
          defaultBranch={summary.defaultBranch}
          base={base}
        />
      );
    default:
      return (
        <Typography role="alert">
          There is no such page of this repository.
        </Typography>
      );
  }
}

/** One repository: its files, a file, its branches or a branch's changes. */
function RepositoryPage() {
  const classes = useStyles();
  const params = useParams();
  const repo = { owner: params.owner ?? '', name: params.name ?? '' };
  const base = useBase(repo);
  const client = useRepositoriesClient();
  const entityRoute = useRouteRef(entityRouteRef);
  const {
    value: summary,
    loading,
    error,
  } = useLoaded(() => client.summary(repo), [client, repo.owner, repo.name]);
  const view =
    summary &&
    parseView(
      params['*'] ?? '',
      summary.branches.map(b => b.name),
      summary.defaultBranch,
    );
  const entity = summary && parseEntityRef(summary.entityRef);
  return (
    <Page themeId="tool">
      <Header
        title={`${repo.owner}/${repo.name}`}
        subtitle="A repository on this portal, read-only"
      />
      <Content>
        {loading && <Progress />}
        {error && <Failure error={error} what="repository" />}
        {summary && view && (
          <>
            <div className={classes.bar}>
              <Link to={base}>Code</Link>
              <Link to={`${base}/branches`}>
                Branches ({summary.branches.length})
              </Link>
              {entity && entityRoute && (
                <Link to={entityRoute(entity)}>
                  {entity.name} in the catalog
                </Link>
              )}
            </div>
            {view.kind === 'compare' && (
              <Typography variant="h5" component="h2">
                {view.branch}
              </Typography>
            )}
            <ViewContent
              repo={repo}
              summary={summary}
              view={view}
              base={base}
            />
          </>
        )}
      </Content>
    </Page>
  );
}

/** `/repositories/<owner>/<name>/...`: the local repositories' pages. */
export function RepositoryRoutes() {
  return (
    <Routes>
      <Route path=":owner/:name/*" element={<RepositoryPage />} />
      <Route
        path="*"
        element={
          <Page themeId="tool">
            <Header title="Repositories" />
            <Content>
              <Typography>
                Open a repository from its service's page or from the task that
                created it.
              </Typography>
            </Content>
          </Page>
        }
      />
    </Routes>
  );
}
