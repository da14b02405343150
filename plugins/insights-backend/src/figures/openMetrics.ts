import {
  FiguresResponse,
  WeeklyFigure,
} from '@internal/plugin-insights-common';

type Metric = {
  name: string;
  help: string;
  unit?: string;
  pick: (week: FiguresResponse['weeks'][number]) => WeeklyFigure;
};

const METRICS: Metric[] = [
  {
    name: 'portal_scaffolds_week',
    help: 'Golden-path scaffolds completed this ISO week',
    pick: w => w.scaffolds,
  },
  {
    name: 'portal_scaffold_duration_p50_seconds',
    help: 'Median time of this week scaffolds',
    unit: 'seconds',
    pick: w => w.scaffoldDurationP50,
  },
  {
    name: 'portal_scaffold_duration_p95_seconds',
    help: '95th percentile time of this week scaffolds',
    unit: 'seconds',
    pick: w => w.scaffoldDurationP95,
  },
  {
    name: 'portal_services_created_through_portal_ratio',
    help: 'Share of catalog services created through the portal',
    unit: 'ratio',
    pick: w => w.createdThroughPortal,
  },
  {
    name: 'portal_born_compliant_ratio',
    help: 'Share of this week scaffolds that were gold on their first day',
    unit: 'ratio',
    pick: w => w.bornCompliant,
  },
  {
    name: 'portal_still_on_road_ratio',
    help: 'Share of services created through the portal that are gold now',
    unit: 'ratio',
    pick: w => w.stillOnRoad,
  },
  {
    name: 'portal_guardrail_coverage_ratio',
    help: 'Scorecard coverage: passing or exempt rule results over applicable ones',
    unit: 'ratio',
    pick: w => w.guardrailCoverage,
  },
  {
    name: 'portal_infra_request_wait_hours',
    help: 'Median hours from an infra request to its merged pull request',
    unit: 'hours',
    pick: w => w.infraRequestWaitHours,
  },
  {
    name: 'portal_time_to_first_pr_hours',
    help: 'Median hours from scaffold to the first pull request',
    unit: 'hours',
    pick: w => w.timeToFirstPrHours,
  },
  {
    name: 'portal_lead_time_hours',
    help: 'Median hours from merge to the first successful deployment',
    unit: 'hours',
    pick: w => w.leadTimeHours,
  },
];

function label(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/**
 * The current week's figures as OpenMetrics gauges, one series per team plus the whole
 * portal (`team="all"`). Figures without data are left out rather than reported as 0.
 */
export function toOpenMetrics(
  perTeam: Array<{ team: string; figures: FiguresResponse }>,
): string {
  const lines: string[] = [];
  for (const metric of METRICS) {
    lines.push(`# TYPE ${metric.name} gauge`);
    if (metric.unit) {
      lines.push(`# UNIT ${metric.name} ${metric.unit}`);
    }
    lines.push(`# HELP ${metric.name} ${metric.help}.`);
    for (const { team, figures } of perTeam) {
      const week = figures.weeks[figures.weeks.length - 1];
      const figure = week ? metric.pick(week) : undefined;
      if (figure?.value !== undefined) {
        lines.push(`${metric.name}{team="${label(team)}"} ${figure.value}`);
      }
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
