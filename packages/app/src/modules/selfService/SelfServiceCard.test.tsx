import { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { screen, within } from '@testing-library/react';
import { SelfServiceCapabilities } from './capabilities';
import { selfServiceEntityCard } from './selfServiceModule';

const BASE_URL = 'http://backend.test';
const CAPABILITIES = `${BASE_URL}/api/scaffolder/paved-road/self-service/capabilities`;

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  };
}

const everything: SelfServiceCapabilities = {
  database: { available: true },
  queue: { available: true },
  bucket: { available: true },
  'secret-rotation': { available: true },
};
const noVault = 'Secret rotation is not set up on this portal: ask #platform.';

/** The backend's answer, at the HTTP layer: a status and a body per entity reference. */
function backend(answer: {
  status: number;
  actions?: SelfServiceCapabilities;
}) {
  const requests: string[] = [];
  const fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    requests.push(url.toString());
    if (`${url.origin}${url.pathname}` !== CAPABILITIES) {
      return new Response('{}', { status: 404 });
    }
    return new Response(
      JSON.stringify({
        entityRef: url.searchParams.get('entityRef'),
        actions: answer.actions,
      }),
      {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      },
    );
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

function renderCard(entity: Entity, fetch: typeof globalThis.fetch) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), selfServiceEntityCard],
    mountedRoutes: { '/create': scaffolderPlugin.routes.root },
    apis: [
      mockApis.discovery({ baseUrl: BASE_URL }),
      mockApis.fetch({ baseImplementation: fetch }),
    ],
  });
}

const formData = encodeURIComponent(
  JSON.stringify({ service: 'component:default/payments-api' }),
);

async function loadedList() {
  const list = await screen.findByRole('list', { name: 'Self-service' });
  await within(list).findAllByRole('link');
  return list;
}

describe('selfServiceEntityCard', () => {
  it('opens each self-service template with the component already picked', async () => {
    const { fetch, requests } = backend({ status: 200, actions: everything });
    renderCard(
      component({ 'backstage.io/kubernetes-id': 'payments-api' }),
      fetch,
    );

    const list = await loadedList();
    const links = within(list).getAllByRole('link');
    expect(links.map(link => link.textContent)).toEqual([
      'Request a managed database',
      'Request a queue',
      'Request a bucket',
      'Rotate a secret',
    ]);
    expect(
      within(list).getByRole('link', { name: 'Request a managed database' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/request-database?formData=${formData}`,
    );
    expect(
      within(list).getByRole('link', { name: 'Rotate a secret' }),
    ).toHaveAttribute(
      'href',
      `/create/templates/default/rotate-secret?formData=${formData}`,
    );
    expect(requests).toEqual([
      `${CAPABILITIES}?entityRef=component%3Adefault%2Fpayments-api`,
    ]);
  });

  it('shows what is not set up without a link, with the sentence saying whom to ask', async () => {
    const { fetch } = backend({
      status: 200,
      actions: {
        ...everything,
        'secret-rotation': { available: false, reason: noVault },
      },
    });
    renderCard(component({}), fetch);

    const list = await loadedList();
    expect(within(list).getAllByRole('link')).toHaveLength(3);
    expect(
      within(list).queryByRole('link', { name: 'Rotate a secret' }),
    ).not.toBeInTheDocument();
    const rotation = screen.getByTestId('self-service-rotate-secret');
    expect(rotation).toHaveAttribute('aria-disabled', 'true');
    expect(rotation).toHaveTextContent(`Rotate a secret${noVault}`);
  });

  it('offers no infra request on a service without a repository here', async () => {
    const reason =
      'payments-api has no repository on this portal (it was not created by a golden path here), so there is nowhere to open the request: ask #platform.';
    const { fetch } = backend({
      status: 200,
      actions: {
        database: { available: false, reason },
        queue: { available: false, reason },
        bucket: { available: false, reason },
        'secret-rotation': { available: true },
      },
    });
    renderCard(component({}), fetch);

    const list = await loadedList();
    expect(
      within(list)
        .getAllByRole('link')
        .map(l => l.textContent),
    ).toEqual(['Rotate a secret']);
    expect(within(list).getAllByText(reason)).toHaveLength(3);
  });

  it('offers every template when the backend cannot say, leaving it to the form', async () => {
    const { fetch } = backend({ status: 500 });
    renderCard(component({}), fetch);

    const list = await loadedList();
    expect(within(list).getAllByRole('link')).toHaveLength(4);
    expect(list).toHaveAttribute('aria-busy', 'false');
  });
});
