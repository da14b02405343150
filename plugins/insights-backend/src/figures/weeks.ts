const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

/** An ISO week: Monday 00:00 UTC up to, not including, the next Monday. */
export interface Week {
  /** Like `2026-W48`. */
  id: string;
  /** The Monday, YYYY-MM-DD. */
  start: string;
  startMs: number;
  endMs: number;
}

function mondayOf(time: number): number {
  const date = new Date(time);
  const midnight = Date.UTC(
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate(),
  );
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return midnight - weekday * DAY_MS;
}

/** The ISO week containing `time`. */
export function weekOf(time: number): Week {
  const startMs = mondayOf(time);
  // The ISO year and week number are those of the week's Thursday.
  const thursday = new Date(startMs + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = mondayOf(firstThursday.getTime());
  const number = Math.round((startMs - firstMonday) / WEEK_MS) + 1;
  return {
    id: `${year}-W${String(number).padStart(2, '0')}`,
    start: new Date(startMs).toISOString().slice(0, 10),
    startMs,
    endMs: startMs + WEEK_MS,
  };
}

/** The `count` weeks up to and including the one containing `now`, oldest first. */
export function lastWeeks(now: Date, count: number): Week[] {
  const current = weekOf(now.getTime());
  const weeks: Week[] = [];
  for (let i = count - 1; i >= 0; i--) {
    weeks.push(weekOf(current.startMs - i * WEEK_MS));
  }
  return weeks;
}
