import { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import type { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { scorecardApiRef } from '../../api';
import { scorecardEntityContent } from '../../plugin';
import {
  backendError,
  FakeScorecardApi,
  paymentsApiRef,
  paymentsApiScorecard,
} from '../../__testUtils__/fakeScorecardApi';

// What the permission API answers (its enum, by value: this package only has its types)
const ALLOW = 'ALLOW' as AuthorizeResult.ALLOW;

// Clicks into a field and pastes the text: one input event instead of one per key, which
// keeps these tests fast on a busy CI machine.
async function typeInto(field: HTMLElement, text: string) {
  await userEvent.click(field);
  await userEvent.paste(text);
}

// Dialogs render many MUI parts; give them room under parallel test workers.
jest.setTimeout(20_000);

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:payments' },
};

/**
 * The tab, for a user the permission policy lets decide on exemptions (a user who may
 * not: EntityScorecardContent.guest.test.tsx, as usePermission caches per module).
 */
function renderTab(api: FakeScorecardApi) {
  return renderTestApp({
    extensions: [
      createTestEntityPage({ entity: paymentsApi }),
      scorecardEntityContent,
    ],
    apis: [[scorecardApiRef, api], mockApis.permission({ authorize: ALLOW })],
  });
}

function utcDayIn(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000)
    .toISOString()
    .slice(0, 10);
}

function exemptionRow(ruleTitle: string) {
  const table = screen.getByRole('table', { name: 'Exemptions' });
  const row = within(table)
    .getAllByRole('row')
    .find(r => within(r).queryByText(ruleTitle));
  if (!row) {
    throw new Error(`No exemption row for ${ruleTitle}`);
  }
  return row;
}

describe('scorecardEntityContent', () => {
  it('lists every rule with its outcome, how to fix what fails, and its history', async () => {
    renderTab(new FakeScorecardApi([paymentsApiScorecard()]));

    const rules = await screen.findByRole('table', { name: 'Rules' });
    const rows = within(rules).getAllByRole('row').slice(1);
    expect(
      rows.map(row => within(row).getAllByRole('cell')[0].textContent),
    ).toEqual([
      expect.stringContaining('Owner exists'),
      expect.stringContaining('Lifecycle set'),
      expect.stringContaining('Runbook linked'),
      expect.stringContaining('On-call configured'),
      expect.stringContaining('SBOM published'),
    ]);

    expect(
      within(rules).getByRole('columnheader', { name: 'Outcome' }),
    ).toHaveStyle({ whiteSpace: 'nowrap' });

    const sbom = rows[4];
    expect(within(sbom).getByText('Fail')).toBeInTheDocument();
    expect(sbom).toHaveTextContent(
      'How to fix: Publish an SBOM from CI and set the paved-road.io/sbom annotation.',
    );
    expect(
      within(sbom).getByRole('img', {
        name: 'SBOM published: failing on 3 of the last 5 days',
      }),
    ).toBeInTheDocument();

    const onCall = rows[3];
    expect(within(onCall).getByText('Exempt')).toBeInTheDocument();
    expect(onCall).toHaveTextContent('Exempt until 2026-07-31');
    expect(within(rows[0]).getByText('Pass')).toBeInTheDocument();

    expect(screen.getByLabelText('Level: Gold')).toBeInTheDocument();
  });

  it('shows each exemption with its status, expiry, reason, requester and decision', async () => {
    renderTab(new FakeScorecardApi([paymentsApiScorecard()]));
    await screen.findByRole('table', { name: 'Exemptions' });

    const approved = exemptionRow('On-call configured');
    expect(approved).toHaveTextContent('Approved');
    expect(approved).toHaveTextContent('2026-07-31');
    expect(approved).toHaveTextContent(
      'Moving from Opsgenie to PagerDuty this quarter',
    );
    expect(approved).toHaveTextContent('user:default/sam.okafor');
    expect(approved).toHaveTextContent('user:default/priya.nair on 2026-05-03');
    expect(
      within(approved).getByRole('button', { name: /Revoke/ }),
    ).toBeInTheDocument();
    expect(
      within(approved).queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();

    const requested = exemptionRow('SBOM published');
    expect(requested).toHaveTextContent('Requested');
    expect(requested).toHaveTextContent('Pending');
    // short values on one line, words never broken ("Pendi / ng")
    expect(within(requested).getByText('Pending')).toHaveStyle({
      wordBreak: 'normal',
    });
    const exemptions = screen.getByRole('table', { name: 'Exemptions' });
    for (const header of ['Status', 'Expires', 'Requested by']) {
      expect(
        within(exemptions).getByRole('columnheader', { name: header }),
      ).toHaveStyle({ whiteSpace: 'nowrap' });
    }
    expect(
      within(exemptions).getByRole('columnheader', { name: 'Reason' }),
    ).toHaveStyle({ minWidth: '16em' });
    expect(
      within(requested).getByRole('button', { name: /Approve/ }),
    ).toBeInTheDocument();
  });

  it('shows the decisions to a user who may take them', async () => {
    renderTab(new FakeScorecardApi([paymentsApiScorecard()]));
    const table = await screen.findByRole('table', { name: 'Exemptions' });

    expect(
      await within(table).findByRole('columnheader', { name: 'Actions' }),
    ).toBeInTheDocument();
    expect(
      within(exemptionRow('SBOM published'))
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Approve', 'Reject']);
    expect(
      within(exemptionRow('On-call configured'))
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Revoke']);
  });

  it("shows the backend's refusal when the user may not approve", async () => {
    const api = new FakeScorecardApi([paymentsApiScorecard()]);
    api.canApprove = false;
    renderTab(api);
    await screen.findByRole('table', { name: 'Exemptions' });

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Approve exemption for SBOM published',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'You are not allowed to approve this exemption',
    );
    expect(alert).toHaveTextContent(
      'Only the platform team may decide on exemptions',
    );

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(exemptionRow('SBOM published')).toHaveTextContent('Requested');
  });

  it('approves with a comment and shows the decision', async () => {
    const api = new FakeScorecardApi([paymentsApiScorecard()]);
    renderTab(api);
    await screen.findByRole('table', { name: 'Exemptions' });

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Approve exemption for SBOM published',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await typeInto(
      within(dialog).getByLabelText('Comment (optional)'),
      'Fine until the Gradle plugin ships',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(
      await screen.findByText('“Fine until the Gradle plugin ships”'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(exemptionRow('SBOM published')).toHaveTextContent('Approved');
  });

  it('requests an exemption for a failing rule, up to the allowed expiry', async () => {
    const api = new FakeScorecardApi([paymentsApiScorecard()]);
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Request exemption' }),
    );
    const dialog = await screen.findByRole('dialog');

    const rule = within(dialog).getByLabelText(/Rule/);
    expect(
      within(rule)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['SBOM published']);

    const expiry = within(dialog).getByLabelText(/Expires on/);
    expect(expiry).toHaveValue(utcDayIn(30));
    expect(expiry).toHaveAttribute('max', utcDayIn(90));

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request' }),
    );
    expect(
      within(dialog).getByText('Say why the rule cannot be met now'),
    ).toBeInTheDocument();
    expect(api.requests).toEqual([]);

    await typeInto(
      within(dialog).getByLabelText(/Reason/),
      'Gradle SBOM tooling lands next month',
    );
    await typeInto(
      within(dialog).getByLabelText(/Risk sign-off/),
      'Dana Li, head of payments',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request' }),
    );

    await screen.findByText('Gradle SBOM tooling lands next month');
    expect(api.requests).toEqual([
      {
        entityRef: paymentsApiRef,
        ruleId: 'sbom',
        reason: 'Gradle SBOM tooling lands next month',
        expiresAt: utcDayIn(30),
        riskSignoff: 'Dana Li, head of payments',
      },
    ]);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('keeps the dialog open with the field the backend rejected', async () => {
    const api = new FakeScorecardApi([paymentsApiScorecard()]);
    api.requestError = await backendError(400, 'Bad Request', {
      name: 'InputError',
      message: 'riskSignoff must name a person, not a team',
    });
    renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Request exemption' }),
    );
    const dialog = await screen.findByRole('dialog');
    await typeInto(within(dialog).getByLabelText(/Reason/), 'Tooling');
    await typeInto(
      within(dialog).getByLabelText(/Risk sign-off/),
      'payments team',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request' }),
    );

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Could not request this exemption');
    expect(alert).toHaveTextContent(
      'riskSignoff must name a person, not a team',
    );
  });

  it('says that no guardrail applies, rather than a level, when no rule applies', async () => {
    renderTab(
      new FakeScorecardApi([
        {
          entityRef: paymentsApiRef,
          applicable: false,
          results: [],
          exemptions: [],
          evaluatedAt: '2026-12-07T09:00:00.000Z',
        },
      ]),
    );

    expect(
      await screen.findByText('No guardrail applies to this kind of entity'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Highest level reached/)).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request exemption' }),
    ).not.toBeInTheDocument();
  });

  it('explains that an entity without results has not been evaluated yet', async () => {
    renderTab(new FakeScorecardApi([]));

    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request exemption' }),
    ).not.toBeInTheDocument();
  });
});
