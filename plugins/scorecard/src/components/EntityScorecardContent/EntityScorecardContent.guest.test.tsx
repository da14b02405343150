import { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import type { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import { scorecardApiRef } from '../../api';
import { scorecardEntityContent } from '../../plugin';
import {
  FakeScorecardApi,
  paymentsApiScorecard,
} from '../../__testUtils__/fakeScorecardApi';

// A file of its own: usePermission caches answers per module (SWR), so a user who may
// decide, rendered before in the same file, would answer for this one.

const DENY = 'DENY' as AuthorizeResult.DENY;

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:payments' },
};

describe('scorecardEntityContent, for a user who may not decide on exemptions', () => {
  it('shows the exemptions without Approve, Reject or Revoke', async () => {
    const asked: string[] = [];
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: paymentsApi }),
        scorecardEntityContent,
      ],
      apis: [
        [scorecardApiRef, new FakeScorecardApi([paymentsApiScorecard()])],
        mockApis.permission({
          authorize: request => {
            asked.push(request.permission.name);
            return DENY;
          },
        }),
      ],
    });
    const table = await screen.findByRole('table', { name: 'Exemptions' });
    await waitFor(() => expect(asked).toEqual(['scorecard.exemption.approve']));

    const rows = within(table).getAllByRole('row');
    expect(rows.map(row => row.textContent)).toEqual([
      expect.stringContaining('Decision'),
      expect.stringContaining('Requested'),
      expect.stringContaining('Approved'),
    ]);
    expect(within(table).queryAllByRole('button')).toEqual([]);
    expect(
      within(table).queryByRole('columnheader', { name: 'Actions' }),
    ).not.toBeInTheDocument();
  });
});
