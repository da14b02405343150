import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityScorecardResponse,
  EntitySummary,
  ExemptionRecord,
  ExemptionRequest,
  ExemptionStatus,
  RulesResponse,
  ScorecardOverview,
} from '@internal/plugin-scorecard-common';
import { ExemptionDecisionOptions, ScorecardApi } from '../api';

/** A failed call as the real client reports it: the backend's error body, parsed. */
export async function backendError(
  status: number,
  statusText: string,
  error: { name: string; message: string },
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(JSON.stringify({ error, response: { statusCode: status } }), {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    }),
  );
}

export const rules: RulesResponse = {
  rules: [
    {
      id: 'owner-valid',
      title: 'Owner exists',
      description: 'spec.owner names a group in the catalog',
      howToFix: 'Set spec.owner to an existing group, like group:payments.',
      appliesTo: { kind: ['Component'] },
      kind: 'relationResolves',
      params: { field: 'spec.owner', targetKind: 'Group' },
    },
    {
      id: 'lifecycle',
      title: 'Lifecycle set',
      description:
        'spec.lifecycle is one of experimental, production, deprecated',
      howToFix: 'Set spec.lifecycle in catalog-info.yaml.',
      appliesTo: { kind: ['Component'] },
      kind: 'specField',
      params: {
        field: 'spec.lifecycle',
        values: ['experimental', 'production', 'deprecated'],
      },
    },
    {
      id: 'runbook',
      title: 'Runbook linked',
      description: 'A link of type runbook',
      howToFix:
        'Add a link of type runbook to catalog-info.yaml (docs/runbook.md).',
      appliesTo: { kind: ['Component'], type: ['service'] },
      kind: 'linkPresent',
      params: { type: 'runbook' },
    },
    {
      id: 'pagerduty',
      title: 'On-call configured',
      description: 'The pagerduty.com/service-id annotation is set',
      howToFix: 'Add the pagerduty.com/service-id annotation.',
      appliesTo: { kind: ['Component'], type: ['service'] },
      kind: 'annotationPresent',
      params: { annotation: 'pagerduty.com/service-id' },
    },
    {
      id: 'sbom',
      title: 'SBOM published',
      description: 'The paved-road.io/sbom annotation points at an SBOM',
      howToFix:
        'Publish an SBOM from CI and set the paved-road.io/sbom annotation.',
      appliesTo: { kind: ['Component'] },
      kind: 'annotationMatches',
      params: { annotation: 'paved-road.io/sbom', pattern: '^https://' },
    },
  ],
  levels: [
    { id: 'bronze', title: 'Bronze', rules: ['owner-valid', 'lifecycle'] },
    { id: 'silver', title: 'Silver', rules: ['runbook'] },
    { id: 'gold', title: 'Gold', rules: ['pagerduty'] },
  ],
  exemptionMaxDays: 90,
  gateLevel: 'silver',
};

function history(failingSbomOn: string[]) {
  const days = [
    '2026-05-10',
    '2026-05-11',
    '2026-05-12',
    '2026-05-13',
    '2026-05-14',
  ];
  return days.map(day => {
    const failing = failingSbomOn.includes(day) ? ['sbom'] : [];
    return {
      day,
      level: 'gold',
      passed: 5 - failing.length - 1,
      exempt: 1,
      failed: failing.length,
      failing,
    };
  });
}

export const paymentsApiRef = 'component:default/payments-api';

/** payments-api: gold thanks to an exemption for on-call, still without an SBOM. */
export function paymentsApiScorecard(): EntityScorecardResponse {
  return {
    entityRef: paymentsApiRef,
    applicable: true,
    level: 'gold',
    results: [
      {
        ruleId: 'owner-valid',
        title: 'Owner exists',
        outcome: 'pass',
        message: 'Owner group:default/payments exists.',
        howToFix: 'Set spec.owner to an existing group, like group:payments.',
      },
      {
        ruleId: 'lifecycle',
        title: 'Lifecycle set',
        outcome: 'pass',
        message: 'spec.lifecycle is production.',
        howToFix: 'Set spec.lifecycle in catalog-info.yaml.',
      },
      {
        ruleId: 'runbook',
        title: 'Runbook linked',
        outcome: 'pass',
        message: 'Link "Runbook" has type runbook.',
        howToFix:
          'Add a link of type runbook to catalog-info.yaml (docs/runbook.md).',
      },
      {
        ruleId: 'pagerduty',
        title: 'On-call configured',
        outcome: 'exempt',
        message: 'Annotation pagerduty.com/service-id is missing.',
        howToFix: 'Add the pagerduty.com/service-id annotation.',
        exemption: {
          id: 'ex-1',
          expiresAt: '2026-07-31T00:00:00.000Z',
          reason: 'Moving from Opsgenie to PagerDuty this quarter',
        },
      },
      {
        ruleId: 'sbom',
        title: 'SBOM published',
        outcome: 'fail',
        message:
          // as the backend words it: the finding, then how to fix it
          'Annotation paved-road.io/sbom is missing. How to fix: Publish an SBOM from CI and set the paved-road.io/sbom annotation.',
        howToFix:
          'Publish an SBOM from CI and set the paved-road.io/sbom annotation.',
      },
    ],
    exemptions: [
      {
        id: 'ex-1',
        ruleId: 'pagerduty',
        entityRef: paymentsApiRef,
        status: 'approved',
        reason: 'Moving from Opsgenie to PagerDuty this quarter',
        riskSignoff: 'Dana Li, head of payments',
        expiresAt: '2026-07-31T00:00:00.000Z',
        requestedBy: 'user:default/sam.okafor',
        requestedAt: '2026-05-02T09:12:00.000Z',
        approvedBy: 'user:default/priya.nair',
        decidedBy: 'user:default/priya.nair',
        decidedAt: '2026-05-03T14:00:00.000Z',
        decisionComment: 'OK until the migration lands',
      },
      {
        id: 'ex-2',
        ruleId: 'sbom',
        entityRef: paymentsApiRef,
        status: 'requested',
        reason: 'SBOM tooling for Gradle lands in June',
        riskSignoff: 'Dana Li, head of payments',
        expiresAt: '2026-06-30T00:00:00.000Z',
        requestedBy: 'user:default/sam.okafor',
        requestedAt: '2026-05-12T08:30:00.000Z',
      },
    ],
    history: history(['2026-05-12', '2026-05-13', '2026-05-14']),
    evaluatedAt: '2026-05-14T06:00:00.000Z',
  };
}

export const overview: ScorecardOverview = {
  evaluatedAt: '2026-05-14T06:00:00.000Z',
  entities: 4,
  coverage: 0.775,
  levels: rules.levels,
  distribution: { levels: { bronze: 1, silver: 1, gold: 1 }, unranked: 1 },
  rules: [
    {
      ruleId: 'owner-valid',
      title: 'Owner exists',
      applicable: 4,
      passed: 3,
      exempt: 0,
      failed: 1,
      coverage: 0.75,
    },
    {
      ruleId: 'lifecycle',
      title: 'Lifecycle set',
      applicable: 4,
      passed: 4,
      exempt: 0,
      failed: 0,
      coverage: 1,
    },
    {
      ruleId: 'runbook',
      title: 'Runbook linked',
      applicable: 3,
      passed: 2,
      exempt: 0,
      failed: 1,
      coverage: 2 / 3,
    },
    {
      ruleId: 'sbom',
      title: 'SBOM published',
      applicable: 4,
      passed: 1,
      exempt: 0,
      failed: 3,
      coverage: 0.25,
    },
  ],
  owners: [
    {
      ref: 'group:default/payments',
      entities: 2,
      coverage: 0.9,
      levels: { gold: 1, silver: 1 },
      unranked: 0,
    },
    {
      ref: 'group:default/risk',
      entities: 1,
      coverage: 0.6,
      levels: { bronze: 1 },
      unranked: 0,
    },
    {
      ref: 'unknown',
      entities: 1,
      coverage: 0.4,
      levels: {},
      unranked: 1,
    },
  ],
  systems: [
    {
      ref: 'system:default/payments',
      entities: 3,
      coverage: 0.8,
      levels: { gold: 1, silver: 1, bronze: 1 },
      unranked: 0,
    },
    {
      ref: 'system:default/billing',
      entities: 1,
      coverage: 0.4,
      levels: {},
      unranked: 1,
    },
  ],
  trend: [
    { day: '2026-05-12', entities: 4, coverage: 0.6, levels: {}, unranked: 4 },
    {
      day: '2026-05-13',
      entities: 4,
      coverage: 0.7,
      levels: { bronze: 2 },
      unranked: 2,
    },
    {
      day: '2026-05-14',
      entities: 4,
      coverage: 0.775,
      levels: { bronze: 1, silver: 1, gold: 1 },
      unranked: 1,
    },
  ],
};

/**
 * An in-memory scorecard backend: keeps the exemptions it is given and changes them as
 * the real one would, and refuses decisions unless `canApprove`.
 */
export class FakeScorecardApi implements ScorecardApi {
  readonly requests: ExemptionRequest[] = [];
  canApprove = true;
  requestError?: Error;
  /** What `listOwnedEntities` answers, and the owners it was asked about. */
  owned: EntitySummary[] = [];
  readonly ownersAsked: string[][] = [];
  /** Makes `listOwnedEntities` and `listExemptions` fail. */
  listError?: Error;
  private readonly scorecards = new Map<string, EntityScorecardResponse>();

  constructor(scorecards: EntityScorecardResponse[] = []) {
    for (const scorecard of scorecards) {
      this.scorecards.set(scorecard.entityRef, scorecard);
    }
  }

  async getRules(): Promise<RulesResponse> {
    return rules;
  }

  async getEntityScorecard(
    entityRef: CompoundEntityRef,
    options?: { history?: boolean },
  ): Promise<EntityScorecardResponse | undefined> {
    const scorecard = this.scorecards.get(stringifyEntityRef(entityRef));
    if (!scorecard || options?.history) {
      return scorecard;
    }
    // Like the backend: the history only when asked for.
    const { history: _history, ...withoutHistory } = scorecard;
    return withoutHistory;
  }

  async getOverview(): Promise<ScorecardOverview> {
    return overview;
  }

  async listOwnedEntities(owners: string[]): Promise<EntitySummary[]> {
    this.ownersAsked.push(owners);
    if (this.listError) {
      throw this.listError;
    }
    return this.owned.filter(e => e.owner && owners.includes(e.owner));
  }

  async listExemptions(options: {
    entityRef?: string;
    status?: ExemptionStatus;
  }): Promise<ExemptionRecord[]> {
    if (this.listError) {
      throw this.listError;
    }
    const all = [...this.scorecards.values()].flatMap(s => s.exemptions);
    return all.filter(
      e =>
        (!options.entityRef || e.entityRef === options.entityRef) &&
        (!options.status || e.status === options.status),
    );
  }

  async requestExemption(request: ExemptionRequest): Promise<ExemptionRecord> {
    if (this.requestError) {
      throw this.requestError;
    }
    this.requests.push(request);
    const record: ExemptionRecord = {
      ...request,
      id: `ex-${this.requests.length + 100}`,
      status: 'requested',
      requestedBy: 'user:default/sam.okafor',
      requestedAt: '2026-05-14T10:00:00.000Z',
    };
    this.scorecards.get(request.entityRef)?.exemptions.push(record);
    return record;
  }

  async approveExemption(id: string, options?: ExemptionDecisionOptions) {
    return this.decide(id, 'approved', options);
  }

  async rejectExemption(id: string, options?: ExemptionDecisionOptions) {
    return this.decide(id, 'rejected', options);
  }

  async revokeExemption(id: string, options?: ExemptionDecisionOptions) {
    return this.decide(id, 'revoked', options);
  }

  private async decide(
    id: string,
    status: 'approved' | 'rejected' | 'revoked',
    options?: ExemptionDecisionOptions,
  ): Promise<ExemptionRecord> {
    if (!this.canApprove) {
      throw await backendError(403, 'Forbidden', {
        name: 'NotAllowedError',
        message: 'Only the platform team may decide on exemptions',
      });
    }
    for (const scorecard of this.scorecards.values()) {
      const exemption = scorecard.exemptions.find(e => e.id === id);
      if (exemption) {
        exemption.status = status;
        exemption.decidedBy = 'user:default/priya.nair';
        exemption.decidedAt = '2026-05-14T11:00:00.000Z';
        exemption.decisionComment = options?.comment;
        return exemption;
      }
    }
    throw await backendError(404, 'Not Found', {
      name: 'NotFoundError',
      message: `No exemption '${id}'`,
    });
  }
}
