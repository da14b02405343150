import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { oktaAuthApiRef } from '@backstage/core-plugin-api';
import {
  ErrorApi,
  ErrorApiError,
  ErrorApiErrorContext,
  errorApiRef,
} from '@backstage/frontend-plugin-api';
import { PortalSignInPage } from './PortalSignInPage';

type Posted = { error: ErrorApiError; context?: ErrorApiErrorContext };

/** The app's error API in miniature: what is posted reaches every subscriber. */
function createErrorApi(): ErrorApi {
  const listeners = new Set<(posted: Posted) => void>();
  const observable = {
    subscribe(next: ((posted: Posted) => void) | { next?(p: Posted): void }) {
      const listener =
        typeof next === 'function' ? next : (p: Posted) => next.next?.(p);
      listeners.add(listener);
      return {
        closed: false,
        unsubscribe: () => {
          listeners.delete(listener);
        },
      };
    },
    [Symbol.observable]() {
      return observable;
    },
  };
  return {
    post(error, context) {
      for (const listener of listeners) listener({ error, context });
    },
    error$: () => observable as unknown as ReturnType<ErrorApi['error$']>,
  };
}

describe('PortalSignInPage', () => {
  it('welcomes people to the portal by its title and offers the configured providers', async () => {
    await renderInTestApp(<PortalSignInPage onSignInSuccess={jest.fn()} />, {
      config: {
        app: { title: 'Acme Road', baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
        pavedRoad: { signIn: { providers: ['okta', 'github'] } },
      },
    });

    expect(await screen.findByText('Welcome to Acme Road')).toBeInTheDocument();
    expect(screen.getByText('Okta')).toBeInTheDocument();
    expect(screen.getByText('GitHub')).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
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

  it('shows why the backend refused a sign-in, on the page', async () => {
    const reason =
      "Sign-in refused: stranger@example.com is not in the portal's catalog. Ask your team to add you to catalog/org.yaml.";
    // what the auth popup rejects with when the backend's sign-in resolver refuses
    const refusal = Object.assign(new Error(reason), {
      name: 'NotAllowedError',
    });
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <PortalSignInPage onSignInSuccess={onSignInSuccess} />,
      {
        config: {
          app: { title: 'Paved Road', baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
          pavedRoad: { signIn: { providers: ['okta'] } },
        },
        apis: [
          [
            oktaAuthApiRef,
            {
              getBackstageIdentity: async options => {
                if (options?.optional) return undefined; // no session yet
                throw refusal;
              },
            },
          ],
          [errorApiRef, createErrorApi()],
        ],
      },
    );

    await userEvent.click(
      await screen.findByRole('button', { name: /sign in/i }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(reason);
    expect(screen.getByRole('alert')).not.toHaveTextContent('Login failed');
    expect(screen.getByText('Welcome to Paved Road')).toBeInTheDocument();
    expect(onSignInSuccess).not.toHaveBeenCalled();
  });
});
