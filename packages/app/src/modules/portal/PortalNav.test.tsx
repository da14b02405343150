import { renderTestApp } from '@backstage/frontend-test-utils';
import homePlugin from '@backstage/plugin-home/alpha';
import { notificationsApiRef } from '@backstage/plugin-notifications';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
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

  it('shows Notifications with the unread count when the plugin is installed', async () => {
    // What the notifications backend answers at GET /api/notifications/status.
    const notifications = {
      getStatus: async () => ({ unread: 3, read: 5 }),
    };
    renderTestApp({
      features: [homePlugin, notificationsPlugin, signalsPlugin, navModule],
      config: {
        app: { title: 'Paved Road' },
        // signals connect to the backend; nothing answers there in this test
        backend: { baseUrl: 'http://127.0.0.1:1' },
      },
      apis: [[notificationsApiRef, notifications]],
    });

    const item = await screen.findByRole('link', { name: /Notifications/ });
    expect(item).toHaveAttribute('href', '/notifications');
    expect(await within(item).findByText('3')).toBeInTheDocument();
  });

  it('shows no Notifications item without the plugin', async () => {
    renderTestApp({ features: [homePlugin, navModule] });
    await screen.findByRole('link', { name: 'Paved Road: home' });
    expect(screen.queryByRole('link', { name: /Notifications/ })).toBeNull();
  });
});
