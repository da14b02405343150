import { Entity } from '@backstage/catalog-model';

// What the home page's tests answer for the backends, at the HTTP layer (the scorecard
// and insights clients are the real ones), and the golden paths as the catalog has them.

export const BASE_URL = 'http://backend.test';

export const goldenPaths: Entity[] = [
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'http-service',
      namespace: 'default',
      title: 'HTTP service',
      description: 'A production-ready HTTP service, in Node.js or Go',
      tags: ['golden-path', 'service'],
    },
    spec: { type: 'service' },
  },
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'background-worker',
      namespace: 'default',
      title: 'Background worker',
      description: 'A queue consumer, in Node.js or Go',
      tags: ['golden-path', 'worker'],
    },
    spec: { type: 'service' },
  },
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'request-database',
      namespace: 'default',
      title: 'Request a managed database',
      tags: ['infra'],
    },
    spec: { type: 'infra' },
  },
];

const rules = {
  rules: [
    {
      id: 'runbook',
      title: 'Runbook',
      description: 'A link of type runbook',
      howToFix: 'Add a link of type runbook to catalog-info.yaml.',
      appliesTo: {},
      kind: 'linkPresent',
      params: { type: 'runbook' },
    },
  ],
  levels: [
    { id: 'bronze', title: 'Bronze', rules: [] },
    { id: 'silver', title: 'Silver', rules: ['runbook'] },
    { id: 'gold', title: 'Gold', rules: [] },
  ],
  exemptionMaxDays: 90,
  gateLevel: 'silver',
};

function figure(value: number, previous: number, count: number) {
  return { value, previous, delta: value - previous, count };
}

const week = {
  week: '2026-W49',
  start: '2026-11-30',
  scaffolds: figure(7, 4, 7),
  scaffoldDurationP50: figure(4, 5, 7),
  scaffoldDurationP95: figure(6, 6, 7),
  createdThroughPortal: figure(0.5, 0.4, 12),
  bornCompliant: figure(1, 1, 7),
  stillOnRoad: figure(0.9, 0.9, 12),
  guardrailCoverage: figure(0.8, 0.75, 12),
  infraRequestWaitHours: { count: 0 },
  timeToFirstPrHours: { count: 0 },
  leadTimeHours: { count: 0 },
};

/**
 * The scorecard and insights backends: Paula's team owns ledger-worker (bronze, no
 * runbook), and Sam asks for an exemption on it.
 */
export function backend() {
  const requests: string[] = [];
  const answers: Record<string, unknown> = {
    '/api/scorecard/rules': rules,
    // Only for the payments team.
    '/api/scorecard/entities': {
      items: [
        {
          entityRef: 'component:default/ledger-worker',
          owner: 'group:default/payments-team',
          level: 'bronze',
          nextLevel: 'silver',
          nextFix: {
            ruleId: 'runbook',
            title: 'Runbook',
            howToFix: 'Add a link of type runbook to catalog-info.yaml.',
          },
          passed: 3,
          exempt: 0,
          failed: 1,
          evaluatedAt: '2026-12-07T09:00:00.000Z',
        },
      ],
    },
    '/api/scorecard/exemptions': { items: [] },
    '/api/insights/figures': {
      teams: [],
      weeks: [week],
      github: { configured: false, complete: false },
    },
  };
  const requested = {
    id: 'ex-7',
    status: 'requested',
    ruleId: 'runbook',
    entityRef: 'component:default/ledger-worker',
    reason: 'The runbook moves to the new wiki next sprint',
    expiresAt: '2027-01-31T00:00:00.000Z',
    riskSignoff: 'Dana Li',
    requestedBy: 'user:default/sam.okafor',
    requestedAt: '2026-12-01T09:00:00.000Z',
  };
  const fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    requests.push(`${url.pathname}${url.search}`);
    let body = answers[url.pathname];
    if (url.pathname === '/api/scorecard/entities') {
      const owners = url.searchParams.getAll('owner');
      body = owners.includes('group:default/payments-team')
        ? body
        : { items: [] };
    }
    if (url.pathname === '/api/scorecard/exemptions') {
      body = {
        items:
          url.searchParams.get('status') === 'requested' ? [requested] : [],
      };
    }
    if (url.origin !== BASE_URL || body === undefined) {
      return new Response('{}', { status: 404 });
    }
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}
