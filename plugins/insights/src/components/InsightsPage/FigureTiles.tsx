import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import ArrowDownwardIcon from '@material-ui/icons/ArrowDownward';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import { WeekFigures, WeeklyFigure } from '@internal/plugin-insights-common';
import {
  changeOf,
  describeFigure,
  FigureDefinition,
  FigureKey,
  FIGURES,
} from '../shared/figures';
import { formatValue } from '../shared/format';
import { Sparkline } from '../shared/Sparkline';

const useStyles = makeStyles((theme: Theme) => ({
  grid: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(15rem, 1fr))',
    gap: theme.spacing(2),
  },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(2),
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.paper,
    boxShadow: theme.shadows[1],
  },
  value: { fontWeight: 600, lineHeight: 1.2 },
  change: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.25),
    fontWeight: 500,
  },
  arrow: { fontSize: '1rem' },
  footer: {
    display: 'flex',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    marginTop: 'auto',
  },
}));

const VERDICTS = {
  better: 'Better than last week',
  worse: 'Worse than last week',
  same: 'Same as last week',
};

function ChangeLine(props: {
  definition: FigureDefinition;
  figure: WeeklyFigure;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const change = changeOf(props.definition, props.figure);
  if (!change) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.figure.value === undefined ? '' : 'No data for last week'}
      </Typography>
    );
  }
  // Text on a light background needs the darker shade to stay readable.
  const shade = theme.palette.type === 'dark' ? 'light' : 'dark';
  const colors = {
    better: theme.palette.success[shade],
    worse: theme.palette.error[shade],
    same: theme.palette.text.secondary,
  };
  const Arrow = change.direction === 'up' ? ArrowUpwardIcon : ArrowDownwardIcon;
  return (
    <Typography
      variant="body2"
      className={classes.change}
      title={VERDICTS[change.verdict]}
      style={{ color: colors[change.verdict] }}
    >
      {change.direction === 'same' ? (
        'Same as last week'
      ) : (
        <>
          <Arrow className={classes.arrow} aria-hidden />
          {change.size} from last week
        </>
      )}
    </Typography>
  );
}

function FigureTile(props: {
  definition: FigureDefinition;
  weeks: WeekFigures[];
}) {
  const classes = useStyles();
  const { definition, weeks } = props;
  const figure = weeks[weeks.length - 1][definition.key];
  const [one, many] = definition.basis;
  return (
    <li
      className={classes.tile}
      aria-label={describeFigure(definition, figure)}
    >
      <Typography variant="body2" color="textSecondary">
        {definition.title}
      </Typography>
      {figure.value === undefined ? (
        <Typography
          variant="h4"
          className={classes.value}
          color="textSecondary"
        >
          no data
        </Typography>
      ) : (
        <Typography variant="h4" className={classes.value}>
          {formatValue(definition.unit, figure.value)}
        </Typography>
      )}
      <ChangeLine definition={definition} figure={figure} />
      <div className={classes.footer}>
        <Typography variant="caption" color="textSecondary">
          {figure.value === undefined || definition.key === 'scaffolds'
            ? ''
            : `${definition.unit === 'share' ? 'of' : 'from'} ${figure.count} ${
                figure.count === 1 ? one : many
              }`}
        </Typography>
        <Sparkline
          title={definition.title}
          unit={definition.unit}
          values={weeks.map(week => week[definition.key].value)}
        />
      </div>
    </li>
  );
}

/**
 * One tile per figure for the latest week, each with its change and its trend; only
 * the figures named in `keys` when given.
 */
export function FigureTiles(props: {
  weeks: WeekFigures[];
  keys?: FigureKey[];
  label?: string;
}) {
  const classes = useStyles();
  const { keys } = props;
  const definitions = keys
    ? FIGURES.filter(definition => keys.includes(definition.key))
    : FIGURES;
  return (
    <ul
      className={classes.grid}
      aria-label={props.label ?? 'Figures of the latest week'}
    >
      {definitions.map(definition => (
        <FigureTile
          key={definition.key}
          definition={definition}
          weeks={props.weeks}
        />
      ))}
    </ul>
  );
}
