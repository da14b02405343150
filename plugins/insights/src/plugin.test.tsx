import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import { insightsApiRef } from './api';
import { FakeInsightsApi } from './__testUtils__/fakeInsightsApi';
import insightsPlugin from './index';

describe('insightsPlugin', () => {
  it('provides the API and the page', () => {
    expect(insightsPlugin.getExtension('api:insights')).toBeDefined();
    expect(insightsPlugin.getExtension('page:insights')).toBeDefined();
  });

  it('puts Insights in the sidebar, leading to its page', async () => {
    renderTestApp({
      features: [insightsPlugin],
      apis: [[insightsApiRef, new FakeInsightsApi()]],
      initialRouteEntries: ['/insights'],
    });

    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    expect(within(nav).getByRole('link', { name: 'Insights' })).toHaveAttribute(
      'href',
      '/insights',
    );
    expect(
      await screen.findByRole('listitem', { name: /^Scaffolds: 12,/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'Insights' }),
    ).toBeInTheDocument();
  });
});
