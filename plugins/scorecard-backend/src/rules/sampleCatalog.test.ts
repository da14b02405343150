import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { Exemption } from '@internal/plugin-scorecard-common';
import {
  sampleCatalog as all,
  sampleServices as services,
} from '../__testUtils__/sampleCatalog';
import { readScorecardConfig } from './config';
import { applyExemptions } from '../scoring/exemptions';
import { levelOf } from '../scoring/levels';
import { evaluateEntity } from './evaluate';

const refs = new Set(all.map(e => stringifyEntityRef(e)));
const context = { entityExists: (ref: string) => refs.has(ref) };
const { rules, levels } = readScorecardConfig(new ConfigReader({}));

function score(
  name: string,
  now = new Date('2026-11-29T00:00:00Z'),
  exemptions: Exemption[] = [],
) {
  const entity = services.find(e => e.metadata.name === name);
  if (!entity) {
    throw new Error(`No service ${name} in catalog/services.yaml`);
  }
  const entityRef = stringifyEntityRef(entity);
  const results = applyExemptions(
    entityRef,
    evaluateEntity(entity, rules, context),
    exemptions,
    now,
  );
  return {
    results,
    level: levelOf(results, levels),
    failing: results.filter(r => r.outcome === 'fail').map(r => r.ruleId),
  };
}

describe('default rules on the sample catalog', () => {
  it('reads all the sample services and the groups and systems they refer to', () => {
    expect(services.map(s => s.metadata.name)).toEqual([
      'payments-api',
      'ledger-worker',
      'risk-scoring',
      'identity-api',
      'fraud-rules-engine',
      'notification-gateway',
      'legacy-billing',
    ]);
    expect(refs.has('group:default/payments-team')).toBe(true);
    expect(refs.has('system:default/payments')).toBe(true);
  });

  it.each(['payments-api', 'ledger-worker', 'risk-scoring', 'identity-api'])(
    '%s, fully on the paved road, is gold with every rule passing',
    name => {
      const { results, level, failing } = score(name);
      expect(failing).toEqual([]);
      expect(results).toHaveLength(rules.length);
      expect(level).toBe('gold');
    },
  );

  it('fraud-rules-engine lacks on-call, cost center and runbook, so stays bronze', () => {
    const { level, failing, results } = score('fraud-rules-engine');
    expect(failing).toEqual(['on-call', 'cost-center', 'runbook']);
    expect(level).toBe('bronze');
    expect(results.find(r => r.ruleId === 'runbook')?.message).toMatch(
      /^No link with type 'runbook'\. How to fix: Write docs\/runbook\.md/,
    );
  });

  it('notification-gateway lacks SLO, repository slug and Argo CD app, so is silver', () => {
    const { level, failing } = score('notification-gateway');
    expect(failing).toEqual(['slo', 'github-slug', 'argocd-app']);
    expect(level).toBe('silver');
  });

  it('legacy-billing is below bronze: its owner billing-team does not exist', () => {
    const { level, failing, results } = score('legacy-billing');
    expect(level).toBe(undefined);
    expect(failing).toEqual([
      'owner-valid',
      'system',
      'on-call',
      'cost-center',
      'runbook',
      'slo',
      'argocd-app',
    ]);
    expect(results.find(r => r.ruleId === 'owner-valid')?.message).toMatch(
      /^spec\.owner 'billing-team' names group:default\/billing-team, which does not exist in the catalog\. How to fix: /,
    );
    expect(results.find(r => r.ruleId === 'lifecycle')?.outcome).toBe('pass');
  });

  it('exemptions lift fraud-rules-engine to gold (it has SLO, slug and app) until they expire', () => {
    const entityRef = 'component:default/fraud-rules-engine';
    const exemptions: Exemption[] = ['on-call', 'cost-center', 'runbook'].map(
      ruleId => ({
        ruleId,
        entityRef,
        reason: 'Moving to the golden path this quarter',
        expiresAt: '2026-12-31T00:00:00Z',
      }),
    );
    expect(score('fraud-rules-engine', undefined, exemptions).level).toBe(
      'gold',
    );
    expect(
      score('fraud-rules-engine', undefined, exemptions.slice(0, 2)).level,
    ).toBe('bronze');
    expect(
      score('fraud-rules-engine', new Date('2026-12-31T00:00:00Z'), exemptions)
        .level,
    ).toBe('bronze');
  });
});
