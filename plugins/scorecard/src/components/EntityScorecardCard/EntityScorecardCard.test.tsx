import { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import { scorecardApiRef } from '../../api';
import { scorecardEntityCard } from '../../plugin';
import {
  backendError,
  FakeScorecardApi,
  paymentsApiScorecard,
} from '../../__testUtils__/fakeScorecardApi';

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:payments' },
};

function renderCard(entity: Entity, api: FakeScorecardApi) {
  return renderTestApp({
    extensions: [createTestEntityPage({ entity }), scorecardEntityCard],
    apis: [[scorecardApiRef, api]],
  });
}

describe('scorecardEntityCard', () => {
  it('shows the level, what fails with how to fix it, and the running exemptions', async () => {
    renderCard(paymentsApi, new FakeScorecardApi([paymentsApiScorecard()]));

    expect(await screen.findByLabelText('Level: Gold')).toHaveTextContent(
      'Gold',
    );
    expect(
      screen.getByText('4 of 5 rules pass or are exempt'),
    ).toBeInTheDocument();

    const failing = screen.getByRole('list', { name: 'Failing rules' });
    expect(within(failing).getByText('SBOM published')).toBeInTheDocument();
    expect(
      within(failing).getByText('Annotation paved-road.io/sbom is missing.'),
    ).toBeInTheDocument();
    expect(failing).toHaveTextContent(
      'How to fix: Publish an SBOM from CI and set the paved-road.io/sbom annotation.',
    );
    // the advice once, on its own line, not repeated after the finding
    expect(failing.textContent?.match(/How to fix/g)).toHaveLength(1);
    expect(within(failing).queryByText('Owner exists')).not.toBeInTheDocument();

    const exempt = screen.getByRole('list', { name: 'Exempt rules' });
    expect(within(exempt).getByText('On-call configured')).toBeInTheDocument();
    expect(exempt).toHaveTextContent(
      'Exempt until 2026-07-31: Moving from Opsgenie to PagerDuty this quarter',
    );

    // The test page mounts the entity at the root; in the app it is /catalog/...
    expect(
      screen.getByRole('link', { name: /View the full scorecard/ }),
    ).toHaveAttribute('href', '/scorecard');
  });

  it('says "No level" and what is missing for the next one', async () => {
    const scorecard = paymentsApiScorecard();
    scorecard.level = undefined;
    scorecard.nextLevel = { id: 'bronze', missing: ['owner-valid'] };
    renderCard(paymentsApi, new FakeScorecardApi([scorecard]));

    expect(await screen.findByLabelText('Level: none')).toHaveTextContent(
      'No level',
    );
    expect(
      screen.getByText('To reach Bronze: Owner exists'),
    ).toBeInTheDocument();
  });

  it('explains that a component the backend has not evaluated has no scorecard yet', async () => {
    renderCard(paymentsApi, new FakeScorecardApi([]));

    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(screen.queryByText(/Failing rules/)).not.toBeInTheDocument();
  });

  it('says that no guardrail applies to an entity no rule applies to, with no level', async () => {
    const website: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'marketing-site', namespace: 'default' },
      spec: { type: 'website', lifecycle: 'production', owner: 'group:web' },
    };
    renderCard(
      website,
      new FakeScorecardApi([
        {
          entityRef: 'component:default/marketing-site',
          applicable: false,
          results: [],
          exemptions: [],
          evaluatedAt: '2026-12-07T09:00:00.000Z',
        },
      ]),
    );

    expect(
      await screen.findByText('No guardrail applies to this kind of entity'),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Level:/)).not.toBeInTheDocument();
    expect(screen.queryByText(/To reach/)).not.toBeInTheDocument();
    expect(screen.queryByText(/rules pass/)).not.toBeInTheDocument();
  });

  it('shows what the backend said when the call fails', async () => {
    const api = new FakeScorecardApi([]);
    api.getEntityScorecard = async () => {
      throw await backendError(500, 'Internal Server Error', {
        name: 'Error',
        message: 'Scorecard store unavailable',
      });
    };
    renderCard(paymentsApi, api);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the scorecard');
    expect(alert).toHaveTextContent('Scorecard store unavailable');
  });

  it('is only shown for components', async () => {
    const api: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'payments-openapi' },
      spec: { type: 'openapi' },
    };
    renderCard(api, new FakeScorecardApi([]));

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
    expect(screen.queryByText('Scorecard')).not.toBeInTheDocument();
  });
});
