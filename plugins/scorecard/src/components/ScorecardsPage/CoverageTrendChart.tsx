import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { TrendDay } from '@internal/plugin-scorecard-common';
import { formatPercent } from '../shared/format';

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 10, right: 12, bottom: 24, left: 40 };

/** Catalog-wide coverage per day, drawn as a line from 0% to 100%. */
export function CoverageTrendChart(props: { trend: TrendDay[] }) {
  const theme = useTheme();
  const { trend } = props;
  if (trend.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No trend yet: it grows by one point per day of evaluation.
      </Typography>
    );
  }

  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) =>
    PAD.left +
    (trend.length === 1
      ? innerWidth / 2
      : (index / (trend.length - 1)) * innerWidth);
  const y = (coverage: number) =>
    PAD.top + (1 - Math.min(Math.max(coverage, 0), 1)) * innerHeight;
  const points = trend.map((day, index) => `${x(index)},${y(day.coverage)}`);
  const first = trend[0];
  const last = trend[trend.length - 1];
  const axis = theme.palette.text.secondary;

  return (
    <svg
      role="img"
      aria-label={`Coverage over ${trend.length} days: ${formatPercent(
        first.coverage,
      )} on ${first.day}, ${formatPercent(last.coverage)} on ${last.day}`}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      style={{ maxWidth: WIDTH }}
    >
      {[0, 0.5, 1].map(share => (
        <g key={share}>
          <line
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={y(share)}
            y2={y(share)}
            stroke={theme.palette.divider}
          />
          <text
            x={PAD.left - 6}
            y={y(share) + 4}
            textAnchor="end"
            fontSize={11}
            fill={axis}
          >
            {formatPercent(share)}
          </text>
        </g>
      ))}
      <text x={x(0)} y={HEIGHT - 6} fontSize={11} fill={axis}>
        {first.day}
      </text>
      {trend.length > 1 && (
        <text
          x={x(trend.length - 1)}
          y={HEIGHT - 6}
          textAnchor="end"
          fontSize={11}
          fill={axis}
        >
          {last.day}
        </text>
      )}
      <polyline
        points={points.join(' ')}
        fill="none"
        stroke={theme.palette.primary.main}
        strokeWidth={2}
        strokeLinejoin="round"
      />
      {trend.map((day, index) => (
        <circle
          key={day.day}
          cx={x(index)}
          cy={y(day.coverage)}
          r={3}
          fill={theme.palette.primary.main}
        >
          <title>{`${day.day}: ${formatPercent(day.coverage)} of ${
            day.entities
          } entities`}</title>
        </circle>
      ))}
    </svg>
  );
}
