import fc from 'fast-check';
import { hasControlCharacters, normalizeTimestamp } from './text';

describe('hasControlCharacters', () => {
  it('finds NUL and other C0 characters in one line of text', () => {
    expect(hasControlCharacters('payments\u0000api')).toBe(true);
    expect(hasControlCharacters('a\tb')).toBe(true);
    expect(hasControlCharacters('a\nb')).toBe(true);
    expect(hasControlCharacters('a\u007fb')).toBe(true);
    expect(hasControlCharacters('Zahlungsdienst für Ärzte – ok')).toBe(false);
  });

  it('lets multiline text keep tabs and line breaks, nothing else', () => {
    expect(hasControlCharacters('a\r\n\tb', { multiline: true })).toBe(false);
    expect(hasControlCharacters('a\u0000b', { multiline: true })).toBe(true);
    expect(hasControlCharacters('a\u001bb', { multiline: true })).toBe(true);
  });
});

describe('normalizeTimestamp', () => {
  it.each([
    ['2026-12-07T21:00:00.123456789+05:30', '2026-12-07T15:30:00.123Z'],
    ['2026-12-07T21:00:00Z', '2026-12-07T21:00:00.000Z'],
    ['2026-12-07T21:00-0130', '2026-12-07T22:30:00.000Z'],
    ['2026-12-31T23:59:59.9999+00:00', '2026-12-31T23:59:59.999Z'],
  ])('stores %s as %s', (value, stored) => {
    expect(normalizeTimestamp(value)).toBe(stored);
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-12-07T24:00:00Z',
    '2026-12-07 21:00:00Z',
    '2026-12-07T21:00:00',
    '2026-12-07T21:00:00+25:00',
    'yesterday',
  ])('refuses %s', value => {
    expect(normalizeTimestamp(value)).toBeUndefined();
  });

  it('keeps the instant of any date it accepts, in 24 characters', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offset) => {
          const shifted = new Date(date.getTime() + offset * 60_000);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(
            2,
            '0',
          )}:${String(abs % 60).padStart(2, '0')}`;
          const text = `${shifted.toISOString().slice(0, 23)}${zone}`;
          const stored = normalizeTimestamp(text);
          expect(stored).toBe(date.toISOString());
          expect(stored).toHaveLength(24);
        },
      ),
    );
  });
});
