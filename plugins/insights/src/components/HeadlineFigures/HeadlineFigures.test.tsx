import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { insightsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  backendError,
  FakeInsightsApi,
} from '../../__testUtils__/fakeInsightsApi';
import { HeadlineFigures } from './HeadlineFigures';

function render(api: FakeInsightsApi) {
  return renderInTestApp(<HeadlineFigures />, {
    apis: [[insightsApiRef, api]],
    mountedRoutes: { '/insights': rootRouteRef },
  });
}

describe('HeadlineFigures', () => {
  it("shows this week's headline figures for every team, with a link to the rest", async () => {
    const api = new FakeInsightsApi();
    render(api);

    const list = await screen.findByRole('list', {
      name: "This week's headline figures",
    });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(item => item.getAttribute('aria-label')),
    ).toEqual([
      'Scaffolds: 12, up 3 from last week',
      'Scaffold time p50: 48s, down 7s from last week',
      'Born compliant: 83%, up 5 pts from last week',
      'Guardrail coverage: 81%, up 1 pt from last week',
    ]);
    expect(api.queries).toEqual([{ weeks: 4 }]);
    expect(
      screen.getByRole('link', { name: 'Every figure, per team, on Insights' }),
    ).toHaveAttribute('href', '/insights');
  });

  it('says when nothing has been measured yet', async () => {
    render(new FakeInsightsApi({}, { ...emptySeries() }));

    expect(
      await screen.findByText(
        'No figures yet: they appear once a golden path has run.',
      ),
    ).toBeInTheDocument();
  });

  it("says what failed, in the backend's words", async () => {
    const api = new FakeInsightsApi();
    api.error = await backendError(503, 'Service Unavailable', {
      name: 'ServiceUnavailableError',
      message: 'Insights cannot reach its database; try again in 5 seconds',
    });
    render(api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the insights');
    expect(alert).toHaveTextContent('cannot reach its database');
  });
});

/** A series with no week at all: a portal where no golden path has run. */
function emptySeries() {
  return {
    values: {} as never,
    scaffolds: [],
    services: [],
    infraRequests: [],
    pullRequests: [],
  };
}
