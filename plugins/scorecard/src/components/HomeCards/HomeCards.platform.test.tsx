import { screen, within } from '@testing-library/react';
import {
  exemption,
  inDays,
  renderAsPaula,
  withExemptions,
} from '../../__testUtils__/homeCards';
import { ExemptionsContent } from './ExemptionsContent';

// Paula is on the platform team here (she may approve exemptions): a file of its own,
// since the permission API remembers its answers (see HomeCards.test.tsx for others).
describe('ExemptionsContent for the platform team', () => {
  it('shows the requests to decide and her own expiring exemptions', async () => {
    const api = withExemptions([
      exemption({
        id: 'ex-9',
        status: 'requested',
        ruleId: 'pagerduty',
        requestedBy: 'user:default/sam.okafor',
        expiresAt: '2026-07-31T00:00:00.000Z',
        reason: 'PagerDuty rollout is next quarter',
      }),
      exemption({ id: 'ex-1' }),
      exemption({ id: 'ex-2', expiresAt: inDays(30) }),
      exemption({ id: 'ex-3', expiresAt: inDays(-1) }),
    ]);
    renderAsPaula(<ExemptionsContent />, api, { platform: true });

    const toDecide = await screen.findByRole('region', {
      name: 'Requests to decide',
    });
    expect(toDecide).toHaveTextContent('On-call configured on payments-api');
    expect(toDecide).toHaveTextContent(
      'sam.okafor asks until 2026-07-31: PagerDuty rollout is next quarter',
    );
    expect(
      within(toDecide).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/scorecard',
    );

    const expiring = screen.getByRole('region', {
      name: 'Yours, expiring within 14 days',
    });
    const items = within(expiring).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('Runbook linked on payments-api');
    expect(items[0]).toHaveTextContent('(in 5 days)');
  });

  it('says when no request waits for a decision', async () => {
    renderAsPaula(<ExemptionsContent />, withExemptions([]), {
      platform: true,
    });

    expect(
      await screen.findByText(
        'No exemption requests are waiting for a decision.',
      ),
    ).toBeInTheDocument();
  });
});
