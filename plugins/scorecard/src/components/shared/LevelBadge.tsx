import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import { ScorecardLevel } from '@internal/plugin-scorecard-common';

// The default levels get their medal colours; levels added by config stay neutral.
const MEDALS: Record<string, { background: string; color: string }> = {
  bronze: { background: '#b87333', color: '#ffffff' },
  silver: { background: '#c0c4cc', color: '#1f2329' },
  gold: { background: '#e5b80b', color: '#1f2329' },
};

/** The medal colours of a level, for the default ones. */
export function medalOf(
  levelId: string,
): { background: string; color: string } | undefined {
  return MEDALS[levelId.toLocaleLowerCase('en-US')];
}

const useStyles = makeStyles({
  badge: { fontWeight: 700 },
});

/** The title of a level, falling back to its id when the rules do not name it. */
export function levelTitle(
  levelId: string,
  levels: ScorecardLevel[] | undefined,
): string {
  return levels?.find(level => level.id === levelId)?.title ?? levelId;
}

export function LevelBadge(props: {
  levelId?: string;
  levels?: ScorecardLevel[];
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const { levelId, levels, size = 'medium' } = props;
  if (!levelId) {
    return (
      <Chip
        className={classes.badge}
        label="No level"
        size={size}
        variant="outlined"
        aria-label="Level: none"
      />
    );
  }
  const title = levelTitle(levelId, levels);
  const medal = medalOf(levelId);
  return (
    <Chip
      className={classes.badge}
      label={title}
      size={size}
      style={medal}
      color={medal ? undefined : 'primary'}
      aria-label={`Level: ${title}`}
    />
  );
}
