import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntitySummary,
  ExemptionRecord,
} from '@internal/plugin-scorecard-common';
import { scorecardApiRef } from '../api';
import { FakeScorecardApi, paymentsApiScorecard } from './fakeScorecardApi';

const DAY = 24 * 60 * 60 * 1000;

/** A timestamp this many days from now. */
export const inDays = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

/** Paula, of the payments team. */
export const paula = {
  userEntityRef: 'user:default/paula.payments',
  ownershipEntityRefs: [
    'user:default/paula.payments',
    'group:default/Payments-Team',
  ],
};

/** One of the owners' services as `GET /entities?owner=` lists it. */
export function service(
  name: string,
  fields: Partial<EntitySummary> = {},
): EntitySummary {
  return {
    entityRef: `component:default/${name}`,
    owner: 'group:default/payments-team',
    passed: 3,
    exempt: 0,
    failed: 1,
    evaluatedAt: '2026-05-14T09:00:00.000Z',
    ...fields,
  };
}

/** An exemption of Paula's on payments-api, approved, expiring in 5 days. */
export function exemption(fields: Partial<ExemptionRecord>): ExemptionRecord {
  return {
    id: 'ex-1',
    status: 'approved',
    ruleId: 'runbook',
    entityRef: 'component:default/payments-api',
    reason: 'The runbook moves to the new wiki next sprint',
    expiresAt: inDays(5),
    riskSignoff: 'Dana Li',
    requestedBy: 'user:default/paula.payments',
    requestedAt: '2026-05-01T09:00:00.000Z',
    ...fields,
  };
}

/** A scorecard backend holding payments-api with these exemptions. */
export function withExemptions(exemptions: ExemptionRecord[]) {
  return new FakeScorecardApi([{ ...paymentsApiScorecard(), exemptions }]);
}

/**
 * Renders a home card as Paula, on the platform team or not. (The permission API
 * remembers its answers for the page's life: one persona per test file.)
 */
export function renderAsPaula(
  element: JSX.Element,
  api: FakeScorecardApi,
  options: { platform: boolean },
) {
  return renderInTestApp(element, {
    apis: [
      [scorecardApiRef, api],
      mockApis.identity(paula),
      // AuthorizeResult is a string enum of @backstage/plugin-permission-common, which
      // this package does not depend on; the permission API answers with its values.
      mockApis.permission({
        authorize: (options.platform ? 'ALLOW' : 'DENY') as never,
      }),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}
