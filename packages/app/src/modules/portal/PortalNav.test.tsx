import { renderTestApp } from '@backstage/frontend-test-utils';
import homePlugin from '@backstage/plugin-home/alpha';
import { screen, within } from '@testing-library/react';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { PortalNav } from './PortalNav';

// The sidebar alone (portalModule also brings the sign-in page, which a test app skips).
const navModule = createFrontendModule({
  pluginId: 'app',
  extensions: [NavContentBlueprint.make({ params: { component: PortalNav } })],
});

describe('PortalNav', () => {
  it('links the logo home and lists Home first', async () => {
    renderTestApp({
      features: [homePlugin, navModule],
      config: { app: { title: 'Paved Road' } },
    });

    const logo = await screen.findByRole('link', { name: 'Paved Road: home' });
    expect(logo).toHaveAttribute('href', '/home');
    const nav = screen.getByRole('navigation');
    expect(within(nav).getAllByRole('link')[1]).toHaveTextContent('Home');
  });
});
