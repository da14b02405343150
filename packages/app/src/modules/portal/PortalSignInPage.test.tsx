import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { PortalSignInPage } from './PortalSignInPage';

describe('PortalSignInPage', () => {
  it('welcomes people to the portal by its title and offers the configured providers', async () => {
    await renderInTestApp(<PortalSignInPage onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'Acme Road', baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
        portal: { signIn: { providers: ['okta', 'github'] } },
      },
    });

    expect(await screen.findByText('Welcome to Acme Road')).toBeInTheDocument();
    expect(screen.getByText('Okta')).toBeInTheDocument();
    expect(screen.getByText('GitHub')).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });

  it('offers guest sign-in on the embedded defaults', async () => {
    await renderInTestApp(<PortalSignInPage onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'Paved Road', baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
      },
    });

    expect(
      await screen.findByText('Welcome to Paved Road'),
    ).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
  });
});
