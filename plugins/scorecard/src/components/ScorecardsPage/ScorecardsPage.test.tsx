import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { scorecardApiRef } from '../../api';
import { scorecardPage } from '../../plugin';
import {
  backendError,
  FakeScorecardApi,
} from '../../__testUtils__/fakeScorecardApi';

function renderPage(api: FakeScorecardApi) {
  return renderTestApp({
    extensions: [scorecardPage],
    apis: [[scorecardApiRef, api]],
    initialRouteEntries: ['/scorecards'],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

/** The first cell of each body row, top to bottom. */
function firstColumn(tableName: string): string[] {
  const region = screen.getByRole('region', { name: tableName });
  return within(region)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent ?? '');
}

describe('scorecardPage', () => {
  it('shows the headline numbers, the levels and the trend', async () => {
    renderPage(new FakeScorecardApi());

    expect(await screen.findByLabelText('Entities')).toHaveTextContent('4');
    expect(screen.getByLabelText('Coverage')).toHaveTextContent('78%');
    expect(screen.getByLabelText('At a level')).toHaveTextContent('3');
    expect(screen.getByText('Last evaluated 2026-05-14')).toBeInTheDocument();

    const levels = screen.getByRole('list', { name: 'Level distribution' });
    expect(
      within(levels)
        .getAllByRole('listitem')
        .map(item => item.getAttribute('aria-label')),
    ).toEqual([
      'Gold: 1 entities',
      'Silver: 1 entities',
      'Bronze: 1 entities',
      'No level: 1 entities',
    ]);

    expect(
      screen.getByRole('img', {
        name: 'Coverage over 3 days: 60% on 2026-05-12, 78% on 2026-05-14',
      }),
    ).toBeInTheDocument();
  });

  it('lists rules worst first and sorts them by the header clicked', async () => {
    renderPage(new FakeScorecardApi());
    await screen.findByRole('region', { name: 'Coverage per rule' });

    expect(firstColumn('Coverage per rule')).toEqual([
      'SBOM published',
      'Runbook linked',
      'Owner exists',
      'Lifecycle set',
    ]);
    const rules = screen.getByRole('region', { name: 'Coverage per rule' });
    expect(within(rules).getAllByRole('row')[1]).toHaveTextContent('25%');

    await userEvent.click(within(rules).getByText('Rule'));
    expect(firstColumn('Coverage per rule')).toEqual([
      'Lifecycle set',
      'Owner exists',
      'Runbook linked',
      'SBOM published',
    ]);

    await userEvent.click(within(rules).getByText('Coverage'));
    await userEvent.click(within(rules).getByText('Coverage'));
    expect(firstColumn('Coverage per rule')).toEqual([
      'Lifecycle set',
      'Owner exists',
      'Runbook linked',
      'SBOM published',
    ]);
  });

  it('shows coverage per team and per system, linking to the catalog', async () => {
    renderPage(new FakeScorecardApi());
    await screen.findByRole('region', { name: 'Coverage per team' });

    expect(firstColumn('Coverage per team')).toEqual([
      'Not set',
      'risk',
      'payments',
    ]);
    const teams = screen.getByRole('region', { name: 'Coverage per team' });
    expect(
      within(teams).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');

    await userEvent.click(within(teams).getByText('Entities'));
    expect(firstColumn('Coverage per team')).toEqual([
      'risk',
      'Not set',
      'payments',
    ]);

    expect(firstColumn('Coverage per system')).toEqual(['billing', 'payments']);
  });

  it('says what went wrong when the overview cannot be loaded', async () => {
    const api = new FakeScorecardApi();
    api.getOverview = async () => {
      throw await backendError(503, 'Service Unavailable', {
        name: 'ServiceUnavailableError',
        message: 'The first evaluation is still running',
      });
    };
    renderPage(api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the scorecards');
    expect(alert).toHaveTextContent('The first evaluation is still running');
  });
});
