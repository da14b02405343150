import { screen, within } from '@testing-library/react';
import {
  backendError,
  FakeScorecardApi,
} from '../../__testUtils__/fakeScorecardApi';
import {
  exemption,
  inDays,
  renderAsPaula,
  service,
  withExemptions,
} from '../../__testUtils__/homeCards';
import { ExemptionsContent } from './ExemptionsContent';
import { TeamServicesContent } from './TeamServicesContent';

// Paula is not on the platform team here: HomeCards.platform.test.tsx is.
const render = (element: JSX.Element, api: FakeScorecardApi) =>
  renderAsPaula(element, api, { platform: false });

describe('TeamServicesContent', () => {
  it("lists the teams' services, lowest level first, each with its next fix", async () => {
    const api = new FakeScorecardApi();
    api.owned = [
      service('payments-api', { level: 'gold', failed: 0 }),
      service('ledger-worker', {
        level: 'bronze',
        nextLevel: 'silver',
        nextFix: {
          ruleId: 'runbook',
          title: 'Runbook linked',
          howToFix: 'Add a link of type runbook to catalog-info.yaml.',
        },
      }),
    ];
    render(<TeamServicesContent />, api);

    const list = await screen.findByRole('list', {
      name: "Your teams' services",
    });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      'ledger-workerBronzeNext for Silver: Runbook linked. Add a link of type runbook to catalog-info.yaml.',
      'payments-apiGoldTop level: nothing left to fix',
    ]);
    expect(
      within(items[0]).getByRole('link', { name: 'ledger-worker' }),
    ).toHaveAttribute('href', '/catalog/default/component/ledger-worker');
    expect(api.ownersAsked).toEqual([
      ['user:default/paula.payments', 'group:default/payments-team'],
    ]);
  });

  it('says what to do when the teams own no service', async () => {
    render(<TeamServicesContent />, new FakeScorecardApi());

    expect(
      await screen.findByText(
        'Your teams own no services yet: create one with a golden path.',
      ),
    ).toBeInTheDocument();
  });

  it("says what failed, in the backend's words, and offers to try again", async () => {
    const api = new FakeScorecardApi();
    api.listError = await backendError(503, 'Service Unavailable', {
      name: 'ServiceUnavailableError',
      message:
        'The scorecard cannot reach its database; try again in 5 seconds',
    });
    render(<TeamServicesContent />, api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Could not load your teams' services");
    expect(alert).toHaveTextContent('cannot reach its database');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
  });
});

describe('ExemptionsContent', () => {
  it('shows no requests to decide to everyone else, and says when nothing expires', async () => {
    const api = withExemptions([
      exemption({ id: 'ex-9', status: 'requested' }),
      // Someone else's, on a service Paula's teams do not own.
      exemption({
        id: 'ex-4',
        entityRef: 'component:default/risk-scoring',
        requestedBy: 'user:default/rick.risk',
      }),
    ]);
    render(<ExemptionsContent />, api);

    expect(
      await screen.findByText(
        'None of your exemptions expires in the next 14 days.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Requests to decide' }),
    ).not.toBeInTheDocument();
  });

  it('counts the exemptions of services the teams own, whoever asked', async () => {
    const api = withExemptions([
      exemption({
        id: 'ex-5',
        entityRef: 'component:default/ledger-worker',
        requestedBy: 'user:default/lee.ledger',
        expiresAt: inDays(2),
      }),
    ]);
    api.owned = [service('ledger-worker')];
    render(<ExemptionsContent />, api);

    const expiring = await screen.findByRole('region', {
      name: 'Yours, expiring within 14 days',
    });
    expect(expiring).toHaveTextContent('Runbook linked on ledger-worker');
    expect(expiring).toHaveTextContent('(in 2 days)');
  });

  it('says what failed', async () => {
    const api = new FakeScorecardApi();
    api.listError = await backendError(403, 'Forbidden', {
      name: 'NotAllowedError',
      message:
        'This needs the permission scorecard.read, which you do not have',
    });
    render(<ExemptionsContent />, api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'You are not allowed to load the exemptions',
    );
    expect(alert).toHaveTextContent('scorecard.read');
  });
});
