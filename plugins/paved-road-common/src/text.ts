/**
 * C0 control characters and DEL, which no name or sentence a person types contains and
 * PostgreSQL refuses in text (NUL) while SQLite stores them: refusing them up front makes
 * both databases, and every generated file, behave the same. Tab, newline and carriage
 * return are allowed where text may span lines.
 */
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Whether `value` holds a control character: any C0 or DEL for one line of text, any but
 * tab, newline and carriage return for `multiline` text.
 *
 * @public
 */
export function hasControlCharacters(
  value: string,
  options?: { multiline?: boolean },
): boolean {
  return (options?.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value);
}

/**
 * What to tell someone whose text holds a control character.
 *
 * @public
 */
export const CONTROL_CHARACTERS_MESSAGE =
  'must not contain control characters (such as NUL)';

/**
 * An ISO 8601 timestamp with any offset and any number of fractional digits, as the one
 * form we store: UTC, milliseconds, `2026-12-07T15:30:00.123Z` (24 characters). Stored
 * strings then sort in time order and fit the same column on every database. Undefined
 * for what is not a real instant.
 *
 * @public
 */
export function normalizeTimestamp(value: string): string | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})$/i.exec(
      value.trim(),
    );
  if (!match) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zone] =
    match;
  const ms = Number(`0.${fraction}`) * 1000;
  const local = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Math.floor(ms),
  );
  const check = new Date(local);
  // Date.UTC rolls 30 February over into March; a real instant does not.
  if (
    check.getUTCFullYear() !== Number(year) ||
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59
  ) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) {
      return undefined;
    }
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  return new Date(local - offsetMinutes * 60_000).toISOString();
}
