import { fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parseView } from './location';
import { repositoriesPage } from './repositoriesModule';

// The repository pages against the backend's answers at the HTTP layer, in the shapes
// of plugins/scaffolder-backend-module-paved-road/src/service/repositoryRoutes.ts.

const BASE_URL = 'http://backend.test';
const API = `${BASE_URL}/api/scaffolder/paved-road/repositories`;
const MAIN = 'a'.repeat(40);
const INFRA = 'b'.repeat(40);

const summary = {
  owner: 'acme',
  name: 'payments-api',
  entityRef: 'component:default/payments-api',
  defaultBranch: 'main',
  branches: [
    {
      name: 'main',
      commit: MAIN,
      date: '2026-12-08T03:00:00+00:00',
      subject: 'Initial commit',
    },
    {
      name: 'infra/database-production',
      commit: INFRA,
      date: '2026-12-08T03:05:00+00:00',
      subject: 'Request a database for production',
    },
  ],
};

const trees: Record<string, unknown> = {
  'main:': {
    ref: 'main',
    commit: MAIN,
    path: '',
    entries: [
      { name: 'src', path: 'src', type: 'tree' },
      { name: 'README.md', path: 'README.md', type: 'blob', size: 15 },
    ],
  },
  'main:src': {
    ref: 'main',
    commit: MAIN,
    path: 'src',
    entries: [
      { name: 'index.ts', path: 'src/index.ts', type: 'blob', size: 52 },
    ],
  },
  'infra/database-production:': {
    ref: 'infra/database-production',
    commit: INFRA,
    path: '',
    entries: [{ name: 'infra', path: 'infra', type: 'tree' }],
  },
};

const files: Record<string, unknown> = {
  'main:src/index.ts': {
    ref: 'main',
    commit: MAIN,
    path: 'src/index.ts',
    size: 52,
    binary: false,
    truncated: false,
    content: 'export const port = 8080;\nexport const name = "payments";\n',
  },
  'infra/database-production:infra/database-production.tf': {
    ref: 'infra/database-production',
    commit: INFRA,
    path: 'infra/database-production.tf',
    size: 20,
    binary: false,
    truncated: false,
    content: 'module "database" {}\n',
  },
};

const patch = [
  'diff --git a/README.md b/README.md',
  'index 1111111..2222222 100644',
  '--- a/README.md',
  '+++ b/README.md',
  '@@ -1 +1,3 @@',
  ' # payments-api',
  '-Takes payments.',
  '+Takes payments, with a database.',
  'diff --git a/infra/database-production.tf b/infra/database-production.tf',
  'new file mode 100644',
  'index 0000000..3333333',
  '--- /dev/null',
  '+++ b/infra/database-production.tf',
  '@@ -0,0 +1 @@',
  '+module "database" {}',
  '',
].join('\n');

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function notFound(message: string): Response {
  return json(404, { error: { name: 'NotFoundError', message } });
}

/** The backend's answers; every request is recorded. */
function backend() {
  const requests: string[] = [];
  async function fetch(input: RequestInfo | URL): Promise<Response> {
    const url = new URL(String(input));
    requests.push(url.toString());
    const ref = url.searchParams.get('ref') ?? '';
    const path = url.searchParams.get('path') ?? '';
    switch (
      url.pathname.replace('/api/scaffolder/paved-road/repositories', '')
    ) {
      case '/acme/payments-api':
        return json(200, summary);
      case '/acme/payments-api/tree':
        return trees[`${ref}:${path}`]
          ? json(200, trees[`${ref}:${path}`])
          : notFound(`No file or directory '${path}'`);
      case '/acme/payments-api/file':
        return files[`${ref}:${path}`]
          ? json(200, files[`${ref}:${path}`])
          : notFound(`No file or directory '${path}'`);
      case '/acme/payments-api/diff':
        return json(200, {
          base: 'main',
          branch: url.searchParams.get('branch'),
          patch,
          truncated: false,
        });
      default:
        return notFound(
          `No repository '${url.pathname.split('/').slice(5, 7).join('/')}'`,
        );
    }
  }
  return { fetch, requests };
}

function renderPage(path: string) {
  const server = backend();
  renderTestApp({
    extensions: [repositoriesPage],
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [
      mockApis.discovery({ baseUrl: BASE_URL }),
      [fetchApiRef, { fetch: server.fetch }],
    ],
  });
  return server.requests;
}

describe('the repository pages', () => {
  it('show the default branch, and a folder and a file in monospace on a click', async () => {
    const requests = renderPage('/repositories/acme/payments-api');

    expect(
      await screen.findByRole('heading', { name: 'acme/payments-api' }),
    ).toBeInTheDocument();
    expect(await screen.findByLabelText('Branch')).toHaveValue('main');
    expect(
      screen.getByRole('link', { name: 'payments-api in the catalog' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');

    await userEvent.click(await screen.findByRole('link', { name: 'src' }));
    const crumbs = await screen.findByRole('navigation', { name: 'Path' });
    expect(
      within(crumbs).getByRole('link', { name: 'payments-api' }),
    ).toBeInTheDocument();

    await userEvent.click(
      await screen.findByRole('link', { name: 'index.ts' }),
    );
    const code = await screen.findByLabelText('Contents of src/index.ts');
    expect(code.tagName).toBe('PRE');
    expect(
      within(code).getByText('export const port = 8080;'),
    ).toBeInTheDocument();
    expect(
      within(code).getByText('export const name = "payments";'),
    ).toBeInTheDocument();
    expect(requests).toContain(
      `${API}/acme/payments-api/file?ref=main&path=src%2Findex.ts`,
    );
  });

  it("show a branch's changes against main, added lines and removed lines apart", async () => {
    renderPage(
      '/repositories/acme/payments-api/compare/infra/database-production',
    );

    expect(
      await screen.findByRole('heading', { name: 'infra/database-production' }),
    ).toBeInTheDocument();
    expect(await screen.findByText(/2 files changed on/)).toBeInTheDocument();
    const readme = screen.getByRole('region', { name: 'README.md' });
    expect(within(readme).getByText('-Takes payments.')).toHaveAttribute(
      'data-line',
      'removed',
    );
    expect(
      within(readme).getByText('+Takes payments, with a database.'),
    ).toHaveAttribute('data-line', 'added');
    const terraform = screen.getByRole('region', {
      name: 'infra/database-production.tf',
    });
    expect(
      within(terraform).getByText('+module "database" {}'),
    ).toHaveAttribute('data-line', 'added');
  });

  it('read a branch name with slashes out of a file URL, and switch branches', async () => {
    const requests = renderPage(
      '/repositories/acme/payments-api/blob/infra/database-production/infra/database-production.tf',
    );

    expect(
      await screen.findByLabelText('Contents of infra/database-production.tf'),
    ).toHaveTextContent('module "database" {}');
    expect(screen.getByLabelText('Branch')).toHaveValue(
      'infra/database-production',
    );

    await userEvent.selectOptions(screen.getByLabelText('Branch'), 'main');
    expect(
      await screen.findByRole('link', { name: 'README.md' }),
    ).toBeInTheDocument();
    expect(requests).toContain(`${API}/acme/payments-api/tree?ref=main&path=`);
  });

  it('list the branches, each other than main with a link to its changes', async () => {
    renderPage('/repositories/acme/payments-api/branches');

    const table = await screen.findByRole('table', { name: 'Branches' });
    expect(
      within(table).getByText('Request a database for production'),
    ).toBeInTheDocument();
    expect(
      within(table).getByRole('link', { name: 'Changes against main' }),
    ).toHaveAttribute(
      'href',
      '/repositories/acme/payments-api/compare/infra/database-production',
    );
  });

  it('say why a repository does not show', async () => {
    renderPage('/repositories/acme/ledger');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "No repository 'acme/ledger'. Repositories are shown to those who may see their service in the catalog.",
    );
  });
});

describe('parseView', () => {
  const branches = ['main', 'infra', 'infra/database-production'];

  it.each([
    ['', { kind: 'tree', ref: 'main', path: '' }],
    ['tree/main', { kind: 'tree', ref: 'main', path: '' }],
    ['tree/main/src/x', { kind: 'tree', ref: 'main', path: 'src/x' }],
    [
      'blob/infra/database-production/infra/a.tf',
      { kind: 'blob', ref: 'infra/database-production', path: 'infra/a.tf' },
    ],
    ['blob/infra/a.tf', { kind: 'blob', ref: 'infra', path: 'a.tf' }],
    [`tree/${MAIN}/src`, { kind: 'tree', ref: MAIN, path: 'src' }],
    [
      'compare/infra/database-production',
      { kind: 'compare', branch: 'infra/database-production' },
    ],
    ['branches', { kind: 'branches' }],
    ['settings', { kind: 'unknown' }],
  ])('reads %s', (rest, view) => {
    expect(parseView(rest, branches, 'main')).toEqual(view);
  });
});
