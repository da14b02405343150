import { RuleResult } from '@internal/plugin-scorecard-common';
import { levelOf } from './levels';

describe('levelOf', () => {
  const levels = [
    { id: 'bronze', title: 'Bronze', rules: ['a'] },
    { id: 'silver', title: 'Silver', rules: ['a', 'b'] },
    { id: 'gold', title: 'Gold', rules: ['a', 'b', 'c'] },
  ];
  const r = (ruleId: string, outcome: RuleResult['outcome']): RuleResult => ({
    ruleId,
    outcome,
    message: '',
  });

  it('is the highest level whose rules all pass or are exempt', () => {
    expect(
      levelOf([r('a', 'pass'), r('b', 'pass'), r('c', 'pass')], levels),
    ).toBe('gold');
    expect(
      levelOf([r('a', 'pass'), r('b', 'exempt'), r('c', 'fail')], levels),
    ).toBe('silver');
    expect(
      levelOf([r('a', 'pass'), r('b', 'fail'), r('c', 'pass')], levels),
    ).toBe('bronze');
    expect(
      levelOf([r('a', 'fail'), r('b', 'pass'), r('c', 'pass')], levels),
    ).toBe(undefined);
  });

  it('climbs levels in order: missing a lower level stops even a satisfied higher one', () => {
    const disjoint = [
      { id: 'bronze', title: 'Bronze', rules: ['a'] },
      { id: 'silver', title: 'Silver', rules: ['b'] },
    ];
    expect(levelOf([r('a', 'fail'), r('b', 'pass')], disjoint)).toBe(undefined);
    expect(levelOf([r('a', 'pass'), r('b', 'pass')], disjoint)).toBe('silver');
  });

  it('counts rules that do not apply (no result) as satisfied', () => {
    expect(levelOf([r('a', 'pass'), r('b', 'pass')], levels)).toBe('gold');
    expect(levelOf([r('a', 'pass'), r('c', 'fail')], levels)).toBe('silver');
  });

  it('gives no level when no rule applies at all, or there are no levels', () => {
    expect(levelOf([], levels)).toBe(undefined);
    expect(levelOf([r('a', 'pass')], [])).toBe(undefined);
  });
});
