import { screen, within } from '@testing-library/react';
import { renderHome, task } from './__testUtils__/renderHome';

// The guest, who owns nothing and may not decide on exemptions; the platform user is in
// homePage.platform.test.tsx (the permission API remembers its answers for a page's life).
describe('the home page, for a guest', () => {
  const guest = {
    userEntityRef: 'user:development/guest',
    ownershipEntityRefs: ['user:development/guest'],
  };

  it('offers the golden paths and says what to do where there is nothing yet', async () => {
    const { listTasks } = renderHome({
      user: guest,
      platform: false,
      path: '/',
    });

    expect(
      await screen.findByRole('heading', { level: 1, name: 'Home' }),
    ).toBeInTheDocument();
    const paths = await screen.findByRole('list', { name: 'Golden paths' });
    const buttons = within(paths).getAllByRole('button');
    expect(buttons.map(b => b.textContent)).toEqual([
      'Background workerA queue consumer, in Node.js or Go',
      'HTTP serviceA production-ready HTTP service, in Node.js or Go',
    ]);
    expect(buttons[1]).toHaveAttribute(
      'href',
      '/create/templates/default/http-service',
    );

    expect(
      await screen.findByText(
        'Your teams own no services yet: create one with a golden path.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'You have not run a template yet: pick a golden path to create your first service.',
      ),
    ).toBeInTheDocument();
    expect(listTasks).toHaveBeenCalledWith({
      filterByOwnership: 'owned',
      limit: 20,
    });
    expect(
      await screen.findByText(
        'None of your exemptions expires in the next 14 days.',
      ),
    ).toBeInTheDocument();

    // Platform only: no requests to decide, no figures.
    expect(screen.queryByText('Requests to decide')).not.toBeInTheDocument();
    expect(
      screen.queryByText('This week on the paved road'),
    ).not.toBeInTheDocument();
    // The home plugin's own widgets are off.
    expect(screen.queryByText('Random Joke')).not.toBeInTheDocument();
  });

  it('lists running tasks first, then the latest finished, each linking to its page', async () => {
    renderHome({
      user: guest,
      platform: false,
      tasks: [
        task('1', 'completed', '2026-12-07T08:00:00.000Z'),
        task('2', 'failed', '2026-12-07T09:00:00.000Z'),
        task('3', 'processing', '2026-12-07T07:00:00.000Z'),
      ],
    });

    const list = await screen.findByRole('list', { name: 'Your tasks' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      'HTTP service: orders-32026-12-07 07:00 UTCRunning',
      'HTTP service: orders-22026-12-07 09:00 UTCFailed',
      'HTTP service: orders-12026-12-07 08:00 UTCCompleted',
    ]);
    expect(
      within(items[0]).getByRole('link', { name: 'HTTP service: orders-3' }),
    ).toHaveAttribute('href', '/create/tasks/3');
  });
});
