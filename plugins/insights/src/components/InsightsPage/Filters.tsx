import TextField from '@material-ui/core/TextField';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { parseEntityRef } from '@backstage/catalog-model';

export const WEEK_CHOICES = [4, 8, 12];

const useStyles = makeStyles((theme: Theme) => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(3),
  },
  team: { minWidth: '14rem' },
}));

/** `payments-team` for `group:default/payments-team`; other namespaces stay visible. */
function teamTitle(ref: string): string {
  try {
    const { namespace, name } = parseEntityRef(ref, { defaultKind: 'group' });
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

/** The team (all of them by default) and how many weeks back to look. */
export function Filters(props: {
  teams: string[];
  team?: string;
  weeks: number;
  onTeamChange: (team: string | undefined) => void;
  onWeeksChange: (weeks: number) => void;
}) {
  const classes = useStyles();
  const { team, weeks } = props;
  // The chosen team stays listed even if the latest answer no longer names it.
  const teams =
    team && !props.teams.includes(team) ? [team, ...props.teams] : props.teams;
  return (
    <div className={classes.filters}>
      <TextField
        select
        id="insights-team"
        label="Team"
        variant="outlined"
        size="small"
        className={classes.team}
        // "All teams" has the empty value: keep the label above it, not over it
        InputLabelProps={{ shrink: true }}
        SelectProps={{ native: true }}
        value={team ?? ''}
        onChange={event => props.onTeamChange(event.target.value || undefined)}
      >
        <option value="">All teams</option>
        {teams.map(ref => (
          <option key={ref} value={ref}>
            {teamTitle(ref)}
          </option>
        ))}
      </TextField>
      <TextField
        select
        id="insights-weeks"
        label="Weeks"
        variant="outlined"
        size="small"
        InputLabelProps={{ shrink: true }}
        SelectProps={{ native: true }}
        value={String(weeks)}
        onChange={event => props.onWeeksChange(Number(event.target.value))}
      >
        {WEEK_CHOICES.map(choice => (
          <option key={choice} value={String(choice)}>
            Last {choice} weeks
          </option>
        ))}
      </TextField>
    </div>
  );
}
