import { Exemption, RuleResult } from '@internal/plugin-scorecard-common';
import { applyExemptions } from './exemptions';

describe('applyExemptions', () => {
  const ref = 'component:default/svc';
  const results: RuleResult[] = [
    { ruleId: 'on-call', outcome: 'fail', message: 'Annotation missing.' },
    { ruleId: 'runbook', outcome: 'fail', message: 'No runbook.' },
    { ruleId: 'lifecycle', outcome: 'pass', message: 'ok' },
  ];
  const exemption: Exemption = {
    ruleId: 'on-call',
    entityRef: ref,
    reason: 'Being decommissioned',
    expiresAt: '2026-12-01T00:00:00.000Z',
    approvedBy: 'user:default/pat.platform',
  };
  const before = new Date('2026-11-30T23:59:59.999Z');

  it('exempts a failing result while the exemption runs, saying why and until when', () => {
    expect(applyExemptions(ref, results, [exemption], before)).toEqual([
      {
        ruleId: 'on-call',
        outcome: 'exempt',
        message:
          'Exempt until 2026-12-01T00:00:00.000Z, approved by user:default/pat.platform: Being decommissioned. Without the exemption: Annotation missing.',
      },
      results[1],
      results[2],
    ]);
  });

  it('stops applying at the exact instant it expires', () => {
    expect(
      applyExemptions(
        ref,
        results,
        [exemption],
        new Date('2026-12-01T00:00:00.000Z'),
      ),
    ).toEqual(results);
    expect(
      applyExemptions(
        ref,
        results,
        [exemption],
        new Date('2027-01-01T00:00:00Z'),
      ),
    ).toEqual(results);
  });

  it('ignores exemptions for another entity or another rule', () => {
    expect(
      applyExemptions(
        ref,
        results,
        [
          { ...exemption, entityRef: 'component:default/other' },
          { ...exemption, ruleId: 'slo' },
        ],
        before,
      ),
    ).toEqual(results);
  });

  it('compares entity refs in their normal form', () => {
    const out = applyExemptions(
      'Component:default/svc',
      results,
      [{ ...exemption, entityRef: 'component:svc' }],
      before,
    );
    expect(out[0].outcome).toBe('exempt');
  });

  it('never touches passing results and ignores unreadable expiry dates', () => {
    expect(
      applyExemptions(
        ref,
        results,
        [
          { ...exemption, ruleId: 'lifecycle' },
          { ...exemption, ruleId: 'runbook', expiresAt: 'next week' },
        ],
        before,
      ),
    ).toEqual(results);
  });

  it('uses the exemption that lasts longest when several run', () => {
    const out = applyExemptions(
      ref,
      results,
      [
        { ...exemption, reason: 'short' },
        {
          ...exemption,
          reason: 'long',
          expiresAt: '2027-03-01T00:00:00Z',
          approvedBy: undefined,
        },
      ],
      before,
    );
    expect(out[0].message).toBe(
      'Exempt until 2027-03-01T00:00:00.000Z: long. Without the exemption: Annotation missing.',
    );
  });
});
