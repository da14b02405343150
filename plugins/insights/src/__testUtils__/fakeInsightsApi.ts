import { ResponseError } from '@backstage/errors';
import {
  FiguresResponse,
  WeekFigures,
  WeeklyFigure,
} from '@internal/plugin-insights-common';
import { FiguresQuery, InsightsApi } from '../api';
import { FigureKey } from '../components/shared/figures';

const u = undefined;
type Values = Array<number | undefined>;

/**
 * Twelve weeks of one team (or of all of them), oldest first, ending with 2026-W20.
 * The counts say how many things each value came from, as the backend reports them.
 */
export interface Series {
  values: Record<FigureKey, Values>;
  scaffolds: number[];
  services: number[];
  infraRequests: number[];
  pullRequests: number[];
}

export const PAYMENTS = 'group:default/payments-team';
export const PLATFORM = 'group:default/platform-team';

/** payments-team: scaffolding got faster, more of its services came through the portal. */
export const payments: Series = {
  values: {
    scaffolds: [1, 0, 2, 1, 0, 2, 3, 1, 2, 1, 1, 3],
    scaffoldDurationP50: [88, u, 95, 102, u, 84, 80, 91, 76, 70, 50, 42],
    scaffoldDurationP95: [120, u, 140, 102, u, 130, 150, 91, 150, 70, 64, 71],
    createdThroughPortal: [
      0.4, 0.4, 0.44, 0.44, 0.44, 0.48, 0.52, 0.52, 0.56, 0.6, 0.6, 0.64,
    ],
    bornCompliant: [1, u, 0.5, 1, u, 0.5, 2 / 3, 1, 0.5, 1, 1, 2 / 3],
    stillOnRoad: [
      0.9, 0.9, 0.91, 0.91, 0.82, 0.83, 0.85, 0.85, 0.86, 0.8, 0.8, 0.75,
    ],
    guardrailCoverage: [
      0.7, 0.71, 0.72, 0.72, 0.74, 0.75, 0.77, 0.78, 0.8, 0.81, 0.82, 0.85,
    ],
    infraRequestWaitHours: [50, 48, u, 41.5, 38, 36, u, 33, 30, 31, 30.5, 26],
    timeToFirstPrHours: [8, u, 7, 6.5, u, 9, 5, 6, 4, 3.5, 6, 1.5],
    leadTimeHours: [30, 28, 26, 30, 24, 22, 25, 21, 20, 19, 20, 26],
  },
  scaffolds: [1, 0, 2, 1, 0, 2, 3, 1, 2, 1, 1, 3],
  services: [25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25],
  infraRequests: [2, 1, 0, 1, 2, 1, 0, 2, 1, 1, 2, 1],
  pullRequests: [5, 4, 6, 5, 3, 6, 7, 5, 6, 4, 5, 6],
};

/** platform-team: nothing scaffolded this week, so no scaffold times either. */
export const platform: Series = {
  values: {
    scaffolds: [0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 2, 0],
    scaffoldDurationP50: [u, 60, u, u, 75, u, u, 58, u, 61, 57, u],
    scaffoldDurationP95: [u, 60, u, u, 75, u, u, 58, u, 61, 66, u],
    createdThroughPortal: [
      0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.55, 0.6, 0.6,
    ],
    bornCompliant: [u, 1, u, u, 1, u, u, 1, u, 1, 1, u],
    stillOnRoad: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    guardrailCoverage: [
      0.9, 0.9, 0.9, 0.91, 0.91, 0.92, 0.92, 0.92, 0.93, 0.93, 0.94, 0.94,
    ],
    infraRequestWaitHours: [u, u, 4, u, u, 6, u, u, 3, u, 5, u],
    timeToFirstPrHours: [u, 2, u, u, 1, u, u, 3, u, 2.5, 0.5, u],
    leadTimeHours: [6, 5, 7, 6, 5, 4, 6, 5, 4, 5, 4, 4],
  },
  scaffolds: [0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 2, 0],
  services: [10, 10, 10, 10, 10, 10, 10, 10, 10, 11, 12, 12],
  infraRequests: [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0],
  pullRequests: [9, 8, 11, 10, 9, 12, 10, 9, 11, 10, 12, 11],
};

/** Every team together. */
export const everyone: Series = {
  values: {
    scaffolds: [4, 3, 6, 5, 3, 7, 8, 5, 7, 6, 9, 12],
    scaffoldDurationP50: [85, 80, 92, 96, 81, 83, 79, 85, 74, 69, 55, 48],
    scaffoldDurationP95: [
      140, 150, 160, 130, 120, 150, 170, 120, 160, 95, 88, 90,
    ],
    createdThroughPortal: [
      0.35, 0.36, 0.38, 0.39, 0.4, 0.42, 0.45, 0.47, 0.5, 0.53, 0.55, 0.58,
    ],
    bornCompliant: [
      0.5, 0.67, 0.5, 0.6, 0.67, 0.57, 0.63, 0.8, 0.71, 0.83, 0.78, 0.83,
    ],
    stillOnRoad: [
      0.88, 0.88, 0.87, 0.87, 0.86, 0.86, 0.86, 0.85, 0.85, 0.84, 0.84, 0.84,
    ],
    guardrailCoverage: [
      0.68, 0.69, 0.7, 0.7, 0.72, 0.73, 0.74, 0.76, 0.77, 0.78, 0.8, 0.81,
    ],
    infraRequestWaitHours: [60, 52, 49, 47, 44, 40, 41, 36, 33, 31, 29, 27],
    timeToFirstPrHours: [10, 9, 9.5, 8, 7, 7.5, 6, 6.5, 5, 4.5, 4, 3],
    leadTimeHours: [32, 30, 29, 31, 27, 26, 27, 24, 23, 22, 22, 21],
  },
  scaffolds: [4, 3, 6, 5, 3, 7, 8, 5, 7, 6, 9, 12],
  services: [60, 61, 62, 63, 64, 66, 68, 69, 71, 73, 75, 78],
  infraRequests: [6, 5, 4, 5, 6, 4, 3, 5, 4, 3, 6, 4],
  pullRequests: [40, 38, 44, 41, 36, 45, 47, 42, 46, 41, 48, 50],
};

const GITHUB_FIGURES: FigureKey[] = ['timeToFirstPrHours', 'leadTimeHours'];

/** ISO week `n` of 2026, whose Monday is 2025-12-29 plus n-1 weeks. */
function isoWeek(n: number): { week: string; start: string } {
  const monday = new Date(Date.UTC(2025, 11, 29 + 7 * (n - 1)));
  return {
    week: `2026-W${String(n).padStart(2, '0')}`,
    start: monday.toISOString().slice(0, 10),
  };
}

function countOf(series: Series, key: FigureKey, index: number): number {
  switch (key) {
    case 'createdThroughPortal':
    case 'guardrailCoverage':
      return series.services[index];
    case 'stillOnRoad':
      return Math.round(
        series.services[index] *
          (series.values.createdThroughPortal[index] ?? 0),
      );
    case 'infraRequestWaitHours':
      return series.infraRequests[index];
    case 'leadTimeHours':
      return series.pullRequests[index];
    default:
      return series.scaffolds[index];
  }
}

/** The last `weeks` weeks of a series, as the backend answers them. */
export function weeksOf(
  series: Series,
  weeks: number,
  options: { github: boolean } = { github: true },
): WeekFigures[] {
  const total = series.scaffolds.length;
  const first = Math.max(total - weeks, 0);
  const result: WeekFigures[] = [];
  for (let index = first; index < total; index++) {
    const figures = {} as Record<FigureKey, WeeklyFigure>;
    for (const key of Object.keys(series.values) as FigureKey[]) {
      const measured = options.github || !GITHUB_FIGURES.includes(key);
      const value = measured ? series.values[key][index] : undefined;
      const previous =
        measured && index > 0 ? series.values[key][index - 1] : undefined;
      figures[key] = {
        value,
        previous,
        delta:
          value !== undefined && previous !== undefined
            ? value - previous
            : undefined,
        count: value === undefined ? 0 : countOf(series, key, index),
      };
    }
    result.push({ ...isoWeek(20 - (total - 1 - index)), ...figures });
  }
  return result;
}

/** A failed call as the real client reports it: the backend's error body, parsed. */
export async function backendError(
  status: number,
  statusText: string,
  error: { name: string; message: string },
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(JSON.stringify({ error, response: { statusCode: status } }), {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    }),
  );
}

/** An in-memory insights backend that remembers what it was asked. */
export class FakeInsightsApi implements InsightsApi {
  readonly queries: FiguresQuery[] = [];
  github: FiguresResponse['github'] = { configured: true, complete: true };
  error?: Error;

  constructor(
    private readonly teams: Record<string, Series> = {
      [PAYMENTS]: payments,
      [PLATFORM]: platform,
    },
    private readonly all: Series = everyone,
  ) {}

  async getFigures(query: FiguresQuery = {}): Promise<FiguresResponse> {
    this.queries.push(query);
    if (this.error) {
      throw this.error;
    }
    const series = query.team ? this.teams[query.team] : this.all;
    return {
      ...(query.team && { team: query.team }),
      teams: Object.keys(this.teams).sort(),
      weeks: series
        ? weeksOf(series, query.weeks ?? 8, {
            github: this.github.configured,
          })
        : [],
      github: { ...this.github },
    };
  }
}
