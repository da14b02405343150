import { WeekFigures, WeeklyFigure } from '@internal/plugin-insights-common';
import { directionOf, formatChange, FigureUnit, formatValue } from './format';

/** The keys of `WeekFigures` that hold a figure (not the week's name or start). */
export type FigureKey = {
  [K in keyof WeekFigures]: WeekFigures[K] extends WeeklyFigure ? K : never;
}[keyof WeekFigures];

export interface FigureDefinition {
  key: FigureKey;
  title: string;
  unit: FigureUnit;
  /** Which way is an improvement: more scaffolds are good, longer waits are not. */
  better: 'higher' | 'lower';
  /** What `count` counts, singular and plural, for "from 5 scaffolds". */
  basis: [string, string];
}

/** Every figure, in the order of the tiles and of the table's rows. */
export const FIGURES: FigureDefinition[] = [
  {
    key: 'scaffolds',
    title: 'Scaffolds',
    unit: 'count',
    better: 'higher',
    basis: ['scaffold', 'scaffolds'],
  },
  {
    key: 'scaffoldDurationP50',
    title: 'Scaffold time p50',
    unit: 'seconds',
    better: 'lower',
    basis: ['scaffold', 'scaffolds'],
  },
  {
    key: 'scaffoldDurationP95',
    title: 'Scaffold time p95',
    unit: 'seconds',
    better: 'lower',
    basis: ['scaffold', 'scaffolds'],
  },
  {
    key: 'createdThroughPortal',
    title: 'Created through the portal',
    unit: 'share',
    better: 'higher',
    basis: ['service', 'services'],
  },
  {
    key: 'bornCompliant',
    title: 'Born compliant',
    unit: 'share',
    better: 'higher',
    basis: ['new service', 'new services'],
  },
  {
    key: 'stillOnRoad',
    title: 'Still on the road',
    unit: 'share',
    better: 'higher',
    basis: ['service', 'services'],
  },
  {
    key: 'guardrailCoverage',
    title: 'Guardrail coverage',
    unit: 'share',
    better: 'higher',
    basis: ['entity', 'entities'],
  },
  {
    key: 'infraRequestWaitHours',
    title: 'Infra request wait',
    unit: 'hours',
    better: 'lower',
    basis: ['request', 'requests'],
  },
  {
    key: 'timeToFirstPrHours',
    title: 'Time to first PR',
    unit: 'hours',
    better: 'lower',
    basis: ['repository', 'repositories'],
  },
  {
    key: 'leadTimeHours',
    title: 'Lead time',
    unit: 'hours',
    better: 'lower',
    basis: ['pull request', 'pull requests'],
  },
];

/** How this week compares with the last, once rounded as shown. */
export interface Change {
  direction: 'up' | 'down' | 'same';
  /** The size of the change, like `8s` or `5 pts`. */
  size: string;
  verdict: 'better' | 'worse' | 'same';
}

export function changeOf(
  definition: FigureDefinition,
  figure: WeeklyFigure,
): Change | undefined {
  const { value, previous } = figure;
  const delta =
    figure.delta ??
    (value !== undefined && previous !== undefined
      ? value - previous
      : undefined);
  if (value === undefined || delta === undefined) {
    return undefined;
  }
  const direction = directionOf(definition.unit, delta);
  let verdict: Change['verdict'] = 'same';
  if (direction !== 'same') {
    const improved = (direction === 'up') === (definition.better === 'higher');
    verdict = improved ? 'better' : 'worse';
  }
  return { direction, size: formatChange(definition.unit, delta), verdict };
}

/** One sentence for a tile, like "Scaffolds: 3, up 2 from last week". */
export function describeFigure(
  definition: FigureDefinition,
  figure: WeeklyFigure,
): string {
  if (figure.value === undefined) {
    return `${definition.title}: no data`;
  }
  const value = formatValue(definition.unit, figure.value);
  const change = changeOf(definition, figure);
  if (!change) {
    return `${definition.title}: ${value}, no data for last week`;
  }
  if (change.direction === 'same') {
    return `${definition.title}: ${value}, same as last week`;
  }
  return `${definition.title}: ${value}, ${change.direction} ${change.size} from last week`;
}
