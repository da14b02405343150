import { directionOf, formatChange, formatValue } from './format';

describe('formatValue', () => {
  it.each([
    [0, '0s'],
    [4.24, '4.2s'],
    [9.96, '10s'],
    [42.4, '42s'],
    [59.6, '1m'],
    [200, '3m 20s'],
    [3599.6, '1h'],
    [3900, '1h 5m'],
  ])('writes %p seconds as %p', (seconds, text) => {
    expect(formatValue('seconds', seconds)).toBe(text);
  });

  it.each([
    [0.75, '45m'],
    [0.999, '1h'],
    [5.46, '5.5h'],
    [26, '26h'],
    [76, '3d 4h'],
    [96.2, '4d'],
  ])('writes %p hours as %p', (hours, text) => {
    expect(formatValue('hours', hours)).toBe(text);
  });

  it('writes shares as whole percentages and counts as numbers', () => {
    expect(formatValue('share', 2 / 3)).toBe('67%');
    expect(formatValue('share', 1)).toBe('100%');
    expect(formatValue('count', 1234)).toBe('1,234');
  });
});

describe('formatChange', () => {
  it('writes the size of a change in its unit, shares in points', () => {
    expect(formatChange('share', 0.75 - 0.8)).toBe('5 pts');
    expect(formatChange('share', 0.01)).toBe('1 pt');
    expect(formatChange('seconds', -8)).toBe('8s');
    expect(formatChange('hours', -4.5)).toBe('4.5h');
    expect(formatChange('count', 2)).toBe('2');
  });
});

describe('directionOf', () => {
  it('follows the sign, unless the change is too small to show', () => {
    expect(directionOf('count', 2)).toBe('up');
    expect(directionOf('seconds', -8)).toBe('down');
    expect(directionOf('share', 0.004)).toBe('same');
    expect(directionOf('seconds', 0.01)).toBe('same');
    expect(directionOf('count', 0)).toBe('same');
  });
});
