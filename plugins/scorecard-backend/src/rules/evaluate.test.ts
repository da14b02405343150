import { Entity } from '@backstage/catalog-model';
import { ScorecardRule } from '@internal/plugin-scorecard-common';
import { EvaluationContext } from '@internal/plugin-scorecard-node';
import { evaluateEntity, ruleAppliesTo } from './evaluate';

const base = {
  title: 'T',
  description: 'D',
  howToFix: 'Do the thing.',
  appliesTo: {},
};

const onCall: ScorecardRule = {
  ...base,
  id: 'on-call',
  kind: 'annotationPresent',
  params: { annotation: 'pagerduty/service-id' },
};
const costCenter: ScorecardRule = {
  ...base,
  id: 'cost-center',
  kind: 'annotationMatches',
  params: { annotation: 'cost-center', pattern: '^CC-[0-9]{4}$' },
};
const lifecycle: ScorecardRule = {
  ...base,
  id: 'lifecycle',
  kind: 'specField',
  params: { field: 'spec.lifecycle', values: ['experimental', 'production'] },
};
const system: ScorecardRule = {
  ...base,
  id: 'system-set',
  kind: 'specField',
  params: { field: 'spec.system' },
};
const runbook: ScorecardRule = {
  ...base,
  id: 'runbook',
  kind: 'linkPresent',
  params: { type: 'runbook' },
};
const dashboardTitle: ScorecardRule = {
  ...base,
  id: 'dashboard',
  kind: 'linkPresent',
  params: { type: 'dashboard', title: 'Grafana' },
};
const owner: ScorecardRule = {
  ...base,
  id: 'owner-valid',
  kind: 'relationResolves',
  params: { field: 'spec.owner', targetKind: 'Group' },
};

function component(overrides: {
  annotations?: Record<string, string>;
  links?: Entity['metadata']['links'];
  spec?: Entity['spec'];
  namespace?: string;
  kind?: string;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: overrides.kind ?? 'Component',
    metadata: {
      name: 'svc',
      ...(overrides.namespace && { namespace: overrides.namespace }),
      annotations: overrides.annotations ?? {},
      links: overrides.links,
    },
    spec: overrides.spec ?? { type: 'service' },
  };
}

const noCatalog: EvaluationContext = { entityExists: () => false };

function one(rule: ScorecardRule, entity: Entity, context = noCatalog) {
  const results = evaluateEntity(entity, [rule], context);
  expect(results).toHaveLength(1);
  return results[0];
}

describe('evaluateEntity', () => {
  describe('annotationPresent', () => {
    it('passes when the annotation is set', () => {
      expect(
        one(
          onCall,
          component({ annotations: { 'pagerduty/service-id': 'PABC123' } }),
        ),
      ).toEqual({
        ruleId: 'on-call',
        outcome: 'pass',
        message: 'Annotation pagerduty/service-id is set.',
      });
    });

    it('fails when missing or blank, saying what is missing and how to fix it', () => {
      expect(one(onCall, component({}))).toEqual({
        ruleId: 'on-call',
        outcome: 'fail',
        message:
          'Annotation pagerduty/service-id is missing. How to fix: Do the thing.',
      });
      expect(
        one(onCall, component({ annotations: { 'pagerduty/service-id': ' ' } }))
          .outcome,
      ).toBe('fail');
    });
  });

  describe('annotationMatches', () => {
    it('passes when the value matches', () => {
      expect(
        one(
          costCenter,
          component({ annotations: { 'cost-center': 'CC-1001' } }),
        ),
      ).toMatchObject({
        outcome: 'pass',
        message: 'Annotation cost-center matches ^CC-[0-9]{4}$.',
      });
    });

    it('fails on a value that does not match, quoting value and pattern', () => {
      expect(
        one(
          costCenter,
          component({ annotations: { 'cost-center': 'finance' } }),
        ),
      ).toEqual({
        ruleId: 'cost-center',
        outcome: 'fail',
        message:
          "Annotation cost-center is 'finance', which does not match ^CC-[0-9]{4}$. How to fix: Do the thing.",
      });
    });

    it('runs a pattern that makes a backtracking engine explode in linear time', () => {
      // On JavaScript's own engine this test would not end: 2^60 ways to split the value.
      const evil = {
        ...costCenter,
        params: { annotation: 'cost-center', pattern: '^(.*.*)*Z$' },
      };
      const value = `${'a'.repeat(60)}!`;
      expect(
        one(evil, component({ annotations: { 'cost-center': value } })).outcome,
      ).toBe('fail');
      expect(
        one(evil, component({ annotations: { 'cost-center': `${value}Z` } }))
          .outcome,
      ).toBe('pass');
    });

    it('fails when the annotation is missing', () => {
      expect(one(costCenter, component({})).message).toBe(
        'Annotation cost-center is missing. How to fix: Do the thing.',
      );
    });
  });

  describe('specField', () => {
    it('passes when the value is in the set', () => {
      expect(
        one(lifecycle, component({ spec: { lifecycle: 'production' } })),
      ).toMatchObject({
        outcome: 'pass',
        message: 'spec.lifecycle is one of experimental, production.',
      });
    });

    it('fails when the value is outside the set', () => {
      expect(
        one(lifecycle, component({ spec: { lifecycle: 'legacy' } })),
      ).toEqual({
        ruleId: 'lifecycle',
        outcome: 'fail',
        message:
          'spec.lifecycle is "legacy", expected one of experimental, production. How to fix: Do the thing.',
      });
    });

    it('compares the set exactly and rejects values that are not strings', () => {
      expect(
        one(lifecycle, component({ spec: { lifecycle: 'Production' } }))
          .outcome,
      ).toBe('fail');
      expect(
        one(lifecycle, component({ spec: { lifecycle: ['production'] } }))
          .outcome,
      ).toBe('fail');
    });

    it('without a set, passes when present and fails when absent or empty', () => {
      expect(
        one(system, component({ spec: { system: 'payments' } })).outcome,
      ).toBe('pass');
      expect(one(system, component({ spec: {} })).message).toBe(
        'spec.system is not set. How to fix: Do the thing.',
      );
      expect(one(system, component({ spec: { system: '' } })).outcome).toBe(
        'fail',
      );
    });
  });

  describe('linkPresent', () => {
    const links = [
      {
        url: 'https://runbooks.example.com/svc',
        title: 'Runbook',
        type: 'Runbook',
      },
      {
        url: 'https://grafana.example.com/d/svc',
        title: 'Dashboard',
        type: 'dashboard',
      },
    ];

    it('passes on a link of that type, case-insensitively', () => {
      expect(one(runbook, component({ links }))).toEqual({
        ruleId: 'runbook',
        outcome: 'pass',
        message: "A link has type 'runbook'.",
      });
    });

    it('fails without links', () => {
      expect(one(runbook, component({}))).toEqual({
        ruleId: 'runbook',
        outcome: 'fail',
        message: "No link with type 'runbook'. How to fix: Do the thing.",
      });
    });

    it('needs type and title on the same link when both are given', () => {
      expect(one(dashboardTitle, component({ links })).message).toBe(
        "No link with type 'dashboard' and title 'Grafana'. How to fix: Do the thing.",
      );
      expect(
        one(
          dashboardTitle,
          component({ links: [{ ...links[1], title: 'grafana' }] }),
        ).outcome,
      ).toBe('pass');
    });

    it('matches on title alone', () => {
      const byTitle: ScorecardRule = {
        ...runbook,
        params: { title: 'runbook' },
      };
      expect(one(byTitle, component({ links })).outcome).toBe('pass');
      expect(one(byTitle, component({ links: [links[1]] })).outcome).toBe(
        'fail',
      );
    });
  });

  describe('relationResolves', () => {
    const asked: string[] = [];
    const catalog = {
      entityExists: (ref: string) => {
        asked.push(ref);
        return [
          'group:default/payments-team',
          'group:ops/sre',
          'user:default/alice',
        ].includes(ref);
      },
    };

    beforeEach(() => {
      asked.length = 0;
    });

    it('passes when the owner is an existing Group, defaulting kind and namespace', () => {
      expect(
        one(owner, component({ spec: { owner: 'payments-team' } }), catalog),
      ).toEqual({
        ruleId: 'owner-valid',
        outcome: 'pass',
        message: 'spec.owner names an existing Group.',
      });
      expect(asked).toEqual(['group:default/payments-team']);
    });

    it('asks in lower case and uses the namespace of the entity', () => {
      expect(
        one(
          owner,
          component({ namespace: 'ops', spec: { owner: 'SRE' } }),
          catalog,
        ).outcome,
      ).toBe('pass');
      expect(asked).toEqual(['group:ops/sre']);
    });

    it('fails when the owner does not exist', () => {
      expect(
        one(owner, component({ spec: { owner: 'billing-team' } }), catalog),
      ).toEqual({
        ruleId: 'owner-valid',
        outcome: 'fail',
        message:
          "spec.owner 'billing-team' names group:default/billing-team, which does not exist in the catalog. How to fix: Do the thing.",
      });
    });

    it('fails when the owner is of another kind, even if it exists', () => {
      expect(
        one(owner, component({ spec: { owner: 'user:alice' } }), catalog)
          .message,
      ).toBe(
        "spec.owner 'user:alice' refers to a user, not a Group. How to fix: Do the thing.",
      );
      expect(asked).toEqual([]);
    });

    it('fails when the field is not set', () => {
      expect(one(owner, component({ spec: {} }), catalog).message).toBe(
        'spec.owner is not set. How to fix: Do the thing.',
      );
    });

    it('needs every reference of a list to resolve', () => {
      const deps: ScorecardRule = {
        ...owner,
        id: 'groups',
        params: { field: 'spec.groups', targetKind: 'Group' },
      };
      expect(
        one(
          deps,
          component({ spec: { groups: ['payments-team', 'ops/sre'] } }),
          catalog,
        ).message,
      ).toBe('spec.groups names an existing Group.');
      expect(
        one(
          deps,
          component({ spec: { groups: ['payments-team', 'nobody'] } }),
          catalog,
        ).outcome,
      ).toBe('fail');
    });
  });

  describe('filters', () => {
    const onlyServices: ScorecardRule = {
      ...onCall,
      appliesTo: { kind: ['component'], type: ['Service'] },
    };

    it('applies a rule by kind and spec.type, case-insensitively', () => {
      expect(ruleAppliesTo(onlyServices, component({}))).toBe(true);
      expect(
        ruleAppliesTo(onlyServices, component({ spec: { type: 'website' } })),
      ).toBe(false);
      expect(ruleAppliesTo(onlyServices, component({ spec: {} }))).toBe(false);
      expect(ruleAppliesTo(onlyServices, component({ kind: 'API' }))).toBe(
        false,
      );
    });

    it('applies everywhere without filters', () => {
      expect(
        ruleAppliesTo(onCall, component({ kind: 'System', spec: {} })),
      ).toBe(true);
    });

    it('leaves out the rules that do not apply, keeping the order of the others', () => {
      const results = evaluateEntity(
        component({ spec: { type: 'library', lifecycle: 'production' } }),
        [onlyServices, lifecycle, runbook],
        noCatalog,
      );
      expect(results.map(r => [r.ruleId, r.outcome])).toEqual([
        ['lifecycle', 'pass'],
        ['runbook', 'fail'],
      ]);
    });
  });
});
