import { screen, within } from '@testing-library/react';
import { renderHome } from './__testUtils__/renderHome';

describe('the home page, for the platform team', () => {
  it("shows the team's services, the requests to decide and this week's figures", async () => {
    const { requests } = renderHome({
      user: {
        userEntityRef: 'user:default/pat.platform',
        ownershipEntityRefs: [
          'user:default/pat.platform',
          'group:default/payments-team',
        ],
      },
      platform: true,
    });

    const services = await screen.findByRole('list', {
      name: "Your teams' services",
    });
    expect(services).toHaveTextContent(
      'ledger-workerBronzeNext for Silver: Runbook. Add a link of type runbook to catalog-info.yaml.',
    );

    const toDecide = await screen.findByRole('region', {
      name: 'Requests to decide',
    });
    expect(toDecide).toHaveTextContent('Runbook on ledger-worker');
    expect(
      within(toDecide).getByRole('link', { name: 'ledger-worker' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger-worker/scorecard',
    );

    expect(
      await screen.findByText('This week on the paved road'),
    ).toBeInTheDocument();
    const figures = await screen.findByRole('list', {
      name: "This week's headline figures",
    });
    expect(
      within(figures)
        .getAllByRole('listitem')
        .map(item => item.getAttribute('aria-label')),
    ).toEqual([
      'Scaffolds: 7, up 3 from last week',
      'Scaffold time p50: 4s, down 1s from last week',
      'Born compliant: 100%, same as last week',
      'Guardrail coverage: 80%, up 5 pts from last week',
    ]);
    expect(requests).toContain(
      '/api/scorecard/entities?owner=user%3Adefault%2Fpat.platform&owner=group%3Adefault%2Fpayments-team',
    );
  });
});
