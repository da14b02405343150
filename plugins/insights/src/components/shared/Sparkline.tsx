import { useTheme } from '@material-ui/core/styles';
import { FigureUnit, formatValue } from './format';

const WIDTH = 120;
const HEIGHT = 32;
const PAD = 3;

type Point = { x: number; y: number };

/** Runs of consecutive weeks with a value: a week without one breaks the line. */
function runsOf(points: Array<Point | undefined>): Point[][] {
  const runs: Point[][] = [];
  let run: Point[] = [];
  for (const point of points) {
    if (point) {
      run.push(point);
    } else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) {
    runs.push(run);
  }
  return runs;
}

/**
 * A figure over the weeks, oldest on the left, scaled between its own lowest and
 * highest value: the shape matters here, the numbers are in the table below.
 */
export function Sparkline(props: {
  title: string;
  unit: FigureUnit;
  values: Array<number | undefined>;
}) {
  const theme = useTheme();
  const { title, unit, values } = props;
  const known = values.filter((v): v is number => v !== undefined);
  const low = Math.min(...known);
  const high = Math.max(...known);

  const x = (index: number) =>
    values.length === 1
      ? WIDTH / 2
      : PAD + (index / (values.length - 1)) * (WIDTH - 2 * PAD);
  const y = (value: number) =>
    high === low
      ? HEIGHT / 2
      : PAD + (1 - (value - low) / (high - low)) * (HEIGHT - 2 * PAD);
  const points = values.map((value, index) =>
    value === undefined ? undefined : { x: x(index), y: y(value) },
  );
  const runs = runsOf(points);
  const last = points[points.length - 1];
  const color = theme.palette.primary.main;

  const label = `${title} over ${values.length} weeks: ${values
    .map(value => (value === undefined ? 'no data' : formatValue(unit, value)))
    .join(', ')}`;

  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
    >
      {runs.map(run =>
        run.length === 1 ? (
          <circle
            key={`${run[0].x}`}
            cx={run[0].x}
            cy={run[0].y}
            r={1.5}
            fill={color}
          />
        ) : (
          <polyline
            key={`${run[0].x}`}
            points={run.map(p => `${p.x},${p.y}`).join(' ')}
            fill="none"
            stroke={color}
            strokeWidth={1.5}
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        ),
      )}
      {last && <circle cx={last.x} cy={last.y} r={2.5} fill={color} />}
    </svg>
  );
}
