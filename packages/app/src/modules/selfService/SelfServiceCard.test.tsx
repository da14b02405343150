import { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { screen, within } from '@testing-library/react';
import { selfServiceEntityCard } from './selfServiceModule';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments-team' },
  };
}

function renderCard(entity: Entity) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), selfServiceEntityCard],
    mountedRoutes: { '/create': scaffolderPlugin.routes.root },
  });
}

const formData = encodeURIComponent(
  JSON.stringify({ service: 'component:default/payments-api' }),
);

describe('selfServiceEntityCard', () => {
  it('opens each self-service template with the component already picked', async () => {
    renderCard(component({ 'backstage.io/kubernetes-id': 'payments-api' }));

    const list = await screen.findByRole('list', { name: 'Self-service' });
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
  });

  it('offers no rotation for a component without Deployments to restart', async () => {
    renderCard(component({}));

    const list = await screen.findByRole('list', { name: 'Self-service' });
    expect(within(list).getAllByRole('link')).toHaveLength(3);
    expect(
      within(list).queryByRole('link', { name: 'Rotate a secret' }),
    ).not.toBeInTheDocument();
  });
});
