import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { insightsApiRef } from '../../api';
import { insightsPage } from '../../plugin';
import {
  backendError,
  FakeInsightsApi,
  PAYMENTS,
  PLATFORM,
} from '../../__testUtils__/fakeInsightsApi';

function renderPage(api: FakeInsightsApi) {
  return renderTestApp({
    extensions: [insightsPage],
    apis: [[insightsApiRef, api]],
    initialRouteEntries: ['/insights'],
  });
}

/** What each tile says, in order, once the tiles show `first`. */
async function tilesStartingWith(first: string): Promise<string[]> {
  await screen.findByRole('listitem', { name: first });
  const list = screen.getByRole('list', { name: 'Figures of the latest week' });
  return within(list)
    .getAllByRole('listitem')
    .map(item => item.getAttribute('aria-label') ?? '');
}

function tile(title: string): HTMLElement {
  return screen.getByRole('listitem', { name: new RegExp(`^${title}:`) });
}

/** The red, green and blue of an element's text colour. */
function colourOf(element: HTMLElement) {
  const [red, green, blue] = (
    getComputedStyle(element).color.match(/\d+/g) ?? []
  ).map(Number);
  return { red, green, blue };
}

/** Picks a team once the backend has named it. */
async function chooseTeam(name: string) {
  const option = await screen.findByRole('option', { name });
  await userEvent.selectOptions(screen.getByLabelText('Team'), option);
}

describe('insightsPage', () => {
  it('shows every team by default, with the change from last week', async () => {
    renderPage(new FakeInsightsApi());

    expect(
      await tilesStartingWith('Scaffolds: 12, up 3 from last week'),
    ).toEqual([
      'Scaffolds: 12, up 3 from last week',
      'Scaffold time p50: 48s, down 7s from last week',
      'Scaffold time p95: 1m 30s, up 2s from last week',
      'Created through the portal: 58%, up 3 pts from last week',
      'Born compliant: 83%, up 5 pts from last week',
      'Still on the road: 84%, same as last week',
      'Guardrail coverage: 81%, up 1 pt from last week',
      'Infra request wait: 27h, down 2h from last week',
      'Time to first PR: 3h, down 1h from last week',
      'Lead time: 21h, down 1h from last week',
    ]);
    expect(screen.getByLabelText('Team')).toHaveDisplayValue('All teams');
    expect(screen.getByLabelText('Weeks')).toHaveDisplayValue('Last 8 weeks');
    expect(
      screen.getByText(
        'Week 2026-W20, from 2026-05-11, against the week before',
      ),
    ).toBeInTheDocument();
  });

  it("shows a team's latest week once the team is chosen", async () => {
    renderPage(new FakeInsightsApi());
    await chooseTeam('payments-team');

    expect(
      await tilesStartingWith('Scaffolds: 3, up 2 from last week'),
    ).toEqual([
      'Scaffolds: 3, up 2 from last week',
      'Scaffold time p50: 42s, down 8s from last week',
      'Scaffold time p95: 1m 11s, up 7s from last week',
      'Created through the portal: 64%, up 4 pts from last week',
      'Born compliant: 67%, down 33 pts from last week',
      'Still on the road: 75%, down 5 pts from last week',
      'Guardrail coverage: 85%, up 3 pts from last week',
      'Infra request wait: 26h, down 4.5h from last week',
      'Time to first PR: 1.5h, down 4.5h from last week',
      'Lead time: 26h, up 6h from last week',
    ]);
    expect(
      within(tile('Created through the portal')).getByText('of 25 services'),
    ).toBeInTheDocument();
  });

  it('marks a change as better or worse by what the figure measures', async () => {
    renderPage(new FakeInsightsApi());
    await chooseTeam('payments-team');
    await screen.findByRole('listitem', {
      name: 'Scaffolds: 3, up 2 from last week',
    });

    // Lower is better for durations and waits, higher for counts and shares.
    const better = [
      'Scaffolds',
      'Scaffold time p50',
      'Created through the portal',
      'Guardrail coverage',
      'Infra request wait',
      'Time to first PR',
    ].map(title => within(tile(title)).getByTitle('Better than last week'));
    const worse = [
      'Scaffold time p95',
      'Born compliant',
      'Still on the road',
      'Lead time',
    ].map(title => within(tile(title)).getByTitle('Worse than last week'));

    for (const change of better) {
      const { red, green } = colourOf(change);
      expect(green).toBeGreaterThan(red);
    }
    for (const change of worse) {
      const { red, green } = colourOf(change);
      expect(red).toBeGreaterThan(green);
    }
    expect(
      within(tile('Scaffold time p50')).getByTitle('Better than last week'),
    ).toHaveTextContent('8s from last week');
  });

  it('says "no data" for what was not measured, not zero', async () => {
    renderPage(new FakeInsightsApi());
    await chooseTeam('platform-team');

    const tiles = await tilesStartingWith(
      'Scaffolds: 0, down 2 from last week',
    );
    expect(tiles).toContain('Scaffold time p50: no data');
    expect(tiles).toContain('Born compliant: no data');
    expect(tiles).toContain('Infra request wait: no data');
    expect(tiles).toContain('Still on the road: 100%, same as last week');
    expect(
      within(tile('Scaffold time p95')).getByText('no data'),
    ).toBeInTheDocument();
    expect(
      within(tile('Scaffolds')).getByTitle('Worse than last week'),
    ).toBeInTheDocument();
  });

  it('asks the backend for the chosen team and number of weeks', async () => {
    const api = new FakeInsightsApi();
    renderPage(api);
    await screen.findByRole('listitem', { name: /^Scaffolds: 12,/ });
    expect(api.queries).toEqual([{ weeks: 8, team: undefined }]);

    await chooseTeam('payments-team');
    await screen.findByRole('listitem', { name: /^Scaffolds: 3,/ });
    expect(api.queries[api.queries.length - 1]).toEqual({
      weeks: 8,
      team: PAYMENTS,
    });

    await userEvent.selectOptions(
      screen.getByLabelText('Weeks'),
      'Last 12 weeks',
    );
    await waitFor(() =>
      expect(api.queries[api.queries.length - 1]).toEqual({
        weeks: 12,
        team: PAYMENTS,
      }),
    );
    expect(
      await screen.findByRole('img', {
        name: 'Scaffolds over 12 weeks: 1, 0, 2, 1, 0, 2, 3, 1, 2, 1, 1, 3',
      }),
    ).toBeInTheDocument();

    await chooseTeam('All teams');
    await screen.findByRole('listitem', { name: /^Scaffolds: 12,/ });
    expect(api.queries[api.queries.length - 1]).toEqual({
      weeks: 12,
      team: undefined,
    });
    expect(
      within(screen.getByLabelText('Team'))
        .getAllByRole('option')
        .map(option => option.getAttribute('value')),
    ).toEqual(['', PAYMENTS, PLATFORM]);
  });

  it('draws each figure over the weeks and lists every week below', async () => {
    renderPage(new FakeInsightsApi());
    await chooseTeam('payments-team');

    expect(
      await screen.findByRole('img', {
        name: 'Scaffold time p50 over 8 weeks: no data, 1m 24s, 1m 20s, 1m 31s, 1m 16s, 1m 10s, 50s, 42s',
      }),
    ).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Figures per week' });
    const header = within(table)
      .getAllByRole('columnheader')
      .map(cell => cell.textContent);
    expect(header).toEqual([
      'Figure',
      '2026-W13',
      '2026-W14',
      '2026-W15',
      '2026-W16',
      '2026-W17',
      '2026-W18',
      '2026-W19',
      '2026-W20',
    ]);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(10);
    const p50 = within(table).getByRole('row', { name: /^Scaffold time p50/ });
    expect(
      within(p50)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual([
      'Scaffold time p50',
      '–',
      '1m 24s',
      '1m 20s',
      '1m 31s',
      '1m 16s',
      '1m 10s',
      '50s',
      '42s',
    ]);
    // weeks and values on one line; a figure's name broken between words only
    for (const cell of within(p50).getAllByRole('cell').slice(1)) {
      expect(cell).toHaveStyle({ whiteSpace: 'nowrap' });
    }
    expect(
      within(table).getByRole('columnheader', { name: '2026-W13' }),
    ).toHaveStyle({ whiteSpace: 'nowrap' });
    expect(within(p50).getAllByRole('cell')[0]).toHaveStyle({
      wordBreak: 'normal',
      minWidth: '14em',
    });
  });

  it('says when GitHub is not configured', async () => {
    const api = new FakeInsightsApi();
    api.github = { configured: false, complete: false };
    renderPage(api);

    expect(await screen.findByRole('note')).toHaveTextContent(
      'GitHub is not configured: time to first PR and lead time are not measured',
    );
    expect(tile('Time to first PR')).toHaveAccessibleName(
      'Time to first PR: no data',
    );
    expect(tile('Lead time')).toHaveAccessibleName('Lead time: no data');
  });

  it('says when the GitHub figures are partial, and why', async () => {
    const api = new FakeInsightsApi();
    api.github = {
      configured: true,
      complete: false,
      problem: 'API rate limit exceeded for installation ID 4242.',
    };
    renderPage(api);

    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('The GitHub figures are partial');
    expect(note).toHaveTextContent(
      'API rate limit exceeded for installation ID 4242.',
    );
  });

  it('shows no GitHub note when the figures are complete', async () => {
    renderPage(new FakeInsightsApi());
    await screen.findByRole('listitem', { name: /^Scaffolds: 12,/ });
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it('says what went wrong when the figures cannot be loaded', async () => {
    const api = new FakeInsightsApi();
    api.error = await backendError(503, 'Service Unavailable', {
      name: 'ServiceUnavailableError',
      message: 'The insights database is not reachable',
    });
    renderPage(api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the insights');
    expect(alert).toHaveTextContent('The insights database is not reachable');
  });
});
