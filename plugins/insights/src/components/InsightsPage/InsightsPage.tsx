import { Content, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { FiguresResponse } from '@internal/plugin-insights-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { insightsApiRef } from '../../api';
import { FiguresTable } from './FiguresTable';
import { FigureTiles } from './FigureTiles';
import { Filters } from './Filters';
import { ErrorNotice, GitHubNotice } from './Notices';

const useStyles = makeStyles((theme: Theme) => ({
  heading: { margin: theme.spacing(0, 0, 1.5) },
  table: { marginTop: theme.spacing(4) },
}));

function Figures(props: { figures: FiguresResponse }) {
  const classes = useStyles();
  const { weeks, github } = props.figures;
  const latest = weeks[weeks.length - 1];
  return (
    <>
      <GitHubNotice github={github} />
      {latest ? (
        <>
          <Typography variant="h6" component="h2" className={classes.heading}>
            Week {latest.week}, from {latest.start}, against the week before
          </Typography>
          <FigureTiles weeks={weeks} />
          <div className={classes.table}>
            <Typography variant="h6" component="h2" className={classes.heading}>
              Week by week
            </Typography>
            <FiguresTable weeks={weeks} />
          </div>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No figures yet: they start with the first scaffold or service.
        </Typography>
      )}
    </>
  );
}

/** How the paved road is used, week by week: the pictures first, the numbers below. */
export function InsightsPage() {
  const insightsApi = useApi(insightsApiRef);
  const [team, setTeam] = useState<string>();
  const [weeks, setWeeks] = useState(8);
  const { value, loading, error } = useAsync(
    () => insightsApi.getFigures({ weeks, team }),
    [insightsApi, weeks, team],
  );
  // Kept apart so that the filter still lists the teams after a failed call.
  const [teams, setTeams] = useState<string[]>([]);
  useEffect(() => {
    if (value) {
      setTeams(value.teams);
    }
  }, [value]);

  let content;
  if (error) {
    content = <ErrorNotice error={error} />;
  } else if (value) {
    content = <Figures figures={value} />;
  }
  return (
    <Content>
      <Filters
        teams={teams}
        team={team}
        weeks={weeks}
        onTeamChange={setTeam}
        onWeeksChange={setWeeks}
      />
      {loading && <Progress />}
      <div aria-busy={loading}>{content}</div>
    </Content>
  );
}
