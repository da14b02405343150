import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { scorecardApiRef } from './api';
import { FakeScorecardApi } from './__testUtils__/fakeScorecardApi';
import scorecardPlugin from './index';

describe('scorecardPlugin', () => {
  it('provides the API, the entity card and tab, and the page', () => {
    expect(scorecardPlugin.getExtension('api:scorecard')).toBeDefined();
    expect(scorecardPlugin.getExtension('entity-card:scorecard')).toBeDefined();
    expect(
      scorecardPlugin.getExtension('entity-content:scorecard'),
    ).toBeDefined();
    expect(scorecardPlugin.getExtension('page:scorecard')).toBeDefined();
  });

  it('puts Scorecards in the sidebar, leading to its page', async () => {
    renderTestApp({
      features: [scorecardPlugin],
      apis: [[scorecardApiRef, new FakeScorecardApi()]],
      initialRouteEntries: ['/scorecards'],
    });

    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(nav).getByRole('link', { name: 'Scorecards' }),
    ).toHaveAttribute('href', '/scorecards');
    expect(await screen.findByLabelText('Entities')).toHaveTextContent('4');
  });
});
