import { Content, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ScorecardOverview } from '@internal/plugin-scorecard-common';
import useAsync from 'react-use/esm/useAsync';
import { scorecardApiRef } from '../../api';
import { formatDay, formatPercent } from '../shared/format';
import { ErrorNotice } from '../shared/ErrorNotice';
import { CoverageTrendChart } from './CoverageTrendChart';
import { GroupCoverageTable, RuleCoverageTable } from './CoverageTables';
import { LevelDistribution } from './LevelDistribution';

function Headline(props: { label: string; value: string }) {
  return (
    <InfoCard>
      <Typography variant="h3" component="p" aria-label={props.label}>
        {props.value}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.label}
      </Typography>
    </InfoCard>
  );
}

function Overview(props: { overview: ScorecardOverview }) {
  const { overview } = props;
  const ranked = overview.entities - overview.distribution.unranked;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="body2" color="textSecondary">
          {overview.evaluatedAt
            ? `Last evaluated ${formatDay(overview.evaluatedAt)}`
            : 'Not evaluated yet'}
        </Typography>
      </Grid>
      <Grid item xs={12} sm={4}>
        <Headline label="Entities" value={String(overview.entities)} />
      </Grid>
      <Grid item xs={12} sm={4}>
        <Headline label="Coverage" value={formatPercent(overview.coverage)} />
      </Grid>
      <Grid item xs={12} sm={4}>
        <Headline label="At a level" value={String(ranked)} />
      </Grid>

      <Grid item xs={12} md={5}>
        <InfoCard title="Levels">
          <LevelDistribution
            levels={overview.levels}
            distribution={overview.distribution}
            entities={overview.entities}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title="Coverage trend">
          <CoverageTrendChart trend={overview.trend} />
        </InfoCard>
      </Grid>

      <Grid item xs={12}>
        <RuleCoverageTable rules={overview.rules} />
      </Grid>
      <Grid item xs={12}>
        <GroupCoverageTable
          title="Coverage per team"
          groupTitle="Owner"
          defaultKind="group"
          groups={overview.owners}
          levels={overview.levels}
        />
      </Grid>
      <Grid item xs={12}>
        <GroupCoverageTable
          title="Coverage per system"
          groupTitle="System"
          defaultKind="system"
          groups={overview.systems}
          levels={overview.levels}
        />
      </Grid>
    </Grid>
  );
}

/** The catalog at a glance: how many entities meet the rules, and who is behind. */
export function ScorecardsPage() {
  const scorecardApi = useApi(scorecardApiRef);
  const { value, loading, error } = useAsync(
    () => scorecardApi.getOverview(),
    [scorecardApi],
  );

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error || !value) {
    content = (
      <ErrorNotice
        error={error ?? new Error('The backend sent no overview')}
        action="load the scorecards"
      />
    );
  } else {
    content = <Overview overview={value} />;
  }
  return <Content>{content}</Content>;
}
