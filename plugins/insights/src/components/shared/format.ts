/** What a figure measures, which decides how it is written. */
export type FigureUnit = 'count' | 'seconds' | 'share' | 'hours';

const countFormat = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 1,
});

/** One decimal at most, without a trailing `.0`. */
function oneDecimal(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** `4.2s`, `42s`, `3m 20s`, `1h 5m`. */
function formatSeconds(seconds: number): string {
  if (seconds < 9.95) {
    return `${oneDecimal(seconds)}s`;
  }
  const whole = Math.round(seconds);
  if (whole < 60) {
    return `${whole}s`;
  }
  if (whole < 3600) {
    const rest = whole % 60;
    const minutes = `${Math.floor(whole / 60)}m`;
    return rest ? `${minutes} ${rest}s` : minutes;
  }
  const totalMinutes = Math.round(whole / 60);
  const rest = totalMinutes % 60;
  const hours = `${Math.floor(totalMinutes / 60)}h`;
  return rest ? `${hours} ${rest}m` : hours;
}

/** `45m`, `5.5h`, `3d 4h`: waits run from minutes to days. */
function formatHours(hours: number): string {
  const minutes = Math.round(hours * 60);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  if (hours < 47.95) {
    return `${oneDecimal(hours)}h`;
  }
  const wholeHours = Math.round(hours);
  const rest = wholeHours % 24;
  const days = `${Math.floor(wholeHours / 24)}d`;
  return rest ? `${days} ${rest}h` : days;
}

/** A figure's value as people read it: `12`, `42s`, `64%`, `26h`. */
export function formatValue(unit: FigureUnit, value: number): string {
  switch (unit) {
    case 'seconds':
      return formatSeconds(value);
    case 'hours':
      return formatHours(value);
    case 'share':
      return `${Math.round(value * 100)}%`;
    default:
      return countFormat.format(value);
  }
}

/**
 * The size of a change, without its sign: shares change by percentage points (`5 pts`),
 * everything else in its own unit.
 */
export function formatChange(unit: FigureUnit, delta: number): string {
  const size = Math.abs(delta);
  if (unit === 'share') {
    const points = Math.round(size * 100);
    return `${points} ${points === 1 ? 'pt' : 'pts'}`;
  }
  return formatValue(unit, size);
}

/** Which way a figure moved, as far as its written form shows. */
export type Direction = 'up' | 'down' | 'same';

/** A change too small to show (`0s`, `0 pts`) counts as no change. */
export function directionOf(unit: FigureUnit, delta: number): Direction {
  if (formatChange(unit, delta) === formatChange(unit, 0)) {
    return 'same';
  }
  return delta > 0 ? 'up' : 'down';
}
