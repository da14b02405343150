import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { LevelCounts, ScorecardLevel } from '@internal/plugin-scorecard-common';
import { formatPercent } from '../shared/format';
import { medalOf } from '../shared/LevelBadge';

const useStyles = makeStyles((theme: Theme) => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  row: {
    display: 'grid',
    gridTemplateColumns: '6rem 1fr 7rem',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
  },
  track: {
    height: 14,
    borderRadius: 3,
    backgroundColor: theme.palette.action.hover,
    overflow: 'hidden',
  },
  bar: { height: '100%' },
}));

/** How many entities sit at each level, highest first, then those with none. */
export function LevelDistribution(props: {
  levels: ScorecardLevel[];
  distribution: LevelCounts;
  entities: number;
}) {
  const classes = useStyles();
  const { levels, distribution, entities } = props;
  const rows = [
    ...[...levels].reverse().map(level => ({
      id: level.id,
      title: level.title,
      count: distribution.levels[level.id] ?? 0,
      color: medalOf(level.id)?.background,
    })),
    {
      id: 'unranked',
      title: 'No level',
      count: distribution.unranked,
      color: undefined,
    },
  ];
  return (
    <ul className={classes.list} aria-label="Level distribution">
      {rows.map(row => {
        const share = entities > 0 ? row.count / entities : 0;
        return (
          <li
            key={row.id}
            className={classes.row}
            aria-label={`${row.title}: ${row.count} entities`}
          >
            <Typography variant="body2">{row.title}</Typography>
            <Box className={classes.track}>
              <Box
                className={classes.bar}
                bgcolor={row.color ?? 'grey.500'}
                style={{ width: `${share * 100}%` }}
              />
            </Box>
            <Typography variant="body2">
              {row.count} ({formatPercent(share)})
            </Typography>
          </li>
        );
      })}
    </ul>
  );
}
