import { instantOf } from './days';

describe('instantOf', () => {
  it.each([
    ['2027-01-15', '2027-01-15T00:00:00.000Z'],
    [' 2027-01-15 ', '2027-01-15T00:00:00.000Z'],
    ['2027-01-15T12:00:00Z', '2027-01-15T12:00:00.000Z'],
    // nanoseconds and an offset: the form that overflowed PostgreSQL's column
    ['2026-12-07T21:00:00.123456789+05:30', '2026-12-07T15:30:00.123Z'],
    ['2026-12-07T21:00-0800', '2026-12-08T05:00:00.000Z'],
  ])('stores %j as %j', (value, stored) => {
    expect(instantOf(value)).toBe(stored);
  });

  it.each([
    'next week',
    'January 15, 2027',
    // without an offset the instant would depend on the server's time zone
    '2027-01-15T12:00:00',
    '2027-02-30',
    '2027-13-01',
    '2027-01-15T24:00:00Z',
    '',
  ])('refuses %j', value => {
    expect(instantOf(value)).toBeUndefined();
  });
});
