import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import {
  EntityHistoryDay,
  EntityScorecardResponse,
  RuleResultView,
  RulesResponse,
} from '@internal/plugin-scorecard-common';
import { formatDay } from '../shared/format';
import { ErrorNotice } from '../shared/ErrorNotice';
import { HistoryCell, HistoryStrip } from '../shared/HistoryStrip';
import { LevelBadge, levelTitle, medalOf } from '../shared/LevelBadge';
import { NoRuleApplies } from '../shared/NoRuleApplies';
import { OutcomeChip } from '../shared/OutcomeChip';
import { findingOf, useEntityScorecard } from '../shared/useEntityScorecard';
import { NAME_COLUMN, SHORT_COLUMN, TEXT_COLUMN } from '../shared/columns';
import { ExemptionsTable } from './ExemptionsTable';
import { RequestExemptionDialog } from './RequestExemptionDialog';

/** How many days of history the strips show. */
const HISTORY_DAYS = 30;

const useStyles = makeStyles((theme: Theme) => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  grow: { flexGrow: 1 },
  fix: { marginTop: theme.spacing(0.5) },
}));

function ruleHistory(
  history: EntityHistoryDay[],
  ruleId: string,
  colors: { pass: string; fail: string },
): HistoryCell[] {
  return history.slice(-HISTORY_DAYS).map(day => {
    const failed = day.failing.includes(ruleId);
    return {
      day: day.day,
      color: failed ? colors.fail : colors.pass,
      description: failed ? 'failing' : 'passing or exempt',
    };
  });
}

function Details(props: { result: RuleResultView }) {
  const classes = useStyles();
  const { result } = props;
  if (result.outcome === 'fail') {
    return (
      <>
        <Typography variant="body2">{findingOf(result)}</Typography>
        <Typography variant="body2" className={classes.fix}>
          <strong>How to fix:</strong> {result.howToFix}
        </Typography>
      </>
    );
  }
  return (
    <>
      <Typography variant="body2">{result.message}</Typography>
      {result.exemption && (
        <Typography variant="body2" color="textSecondary">
          Exempt until {formatDay(result.exemption.expiresAt)}:{' '}
          {result.exemption.reason}
        </Typography>
      )}
    </>
  );
}

function Scorecard(props: {
  scorecard: EntityScorecardResponse;
  rules: RulesResponse;
  entityRef: string;
  onChanged: () => void;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const alertApi = useApi(alertApiRef);
  const { scorecard, rules, entityRef, onChanged } = props;
  const [requesting, setRequesting] = useState(false);

  const failing = scorecard.results.filter(r => r.outcome === 'fail');
  const ruleTitle = (ruleId: string) =>
    scorecard.results.find(r => r.ruleId === ruleId)?.title ??
    rules.rules.find(r => r.id === ruleId)?.title ??
    ruleId;
  const descriptionOf = (ruleId: string) =>
    rules.rules.find(r => r.id === ruleId)?.description;
  const colors = {
    pass: theme.palette.success.main,
    fail: theme.palette.error.main,
  };
  const levelCells: HistoryCell[] = (scorecard.history ?? [])
    .slice(-HISTORY_DAYS)
    .map(day => ({
      day: day.day,
      color:
        (day.level && medalOf(day.level)?.background) ??
        (day.level ? theme.palette.primary.main : theme.palette.grey[400]),
      description: `${
        day.level ? levelTitle(day.level, rules.levels) : 'no level'
      }, ${day.failed} failing`,
    }));

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Scorecard">
          <Box className={classes.summary}>
            <LevelBadge levelId={scorecard.level} levels={rules.levels} />
            <Box className={classes.grow}>
              {scorecard.nextLevel ? (
                <Typography variant="body2">
                  To reach {levelTitle(scorecard.nextLevel.id, rules.levels)}:{' '}
                  {scorecard.nextLevel.missing.map(ruleTitle).join(', ')}
                </Typography>
              ) : (
                <Typography variant="body2">Highest level reached.</Typography>
              )}
              <Typography variant="body2" color="textSecondary">
                Evaluated {formatDay(scorecard.evaluatedAt)}. The deploy gate
                requires {levelTitle(rules.gateLevel, rules.levels)}.
              </Typography>
            </Box>
            <HistoryStrip
              cells={levelCells}
              label={`Level over the last ${levelCells.length} days`}
            />
            <Button
              variant="outlined"
              color="primary"
              disabled={failing.length === 0}
              onClick={() => setRequesting(true)}
            >
              Request exemption
            </Button>
          </Box>
        </InfoCard>
      </Grid>

      <Grid item xs={12}>
        <InfoCard title="Rules">
          <Table size="small" aria-label="Rules">
            <TableHead>
              <TableRow>
                <TableCell style={NAME_COLUMN}>Rule</TableCell>
                <TableCell style={SHORT_COLUMN}>Outcome</TableCell>
                <TableCell style={TEXT_COLUMN}>Details</TableCell>
                <TableCell style={SHORT_COLUMN}>
                  Last {HISTORY_DAYS} days
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {scorecard.results.map(result => {
                const cells = ruleHistory(
                  scorecard.history ?? [],
                  result.ruleId,
                  colors,
                );
                const failedDays = (scorecard.history ?? [])
                  .slice(-HISTORY_DAYS)
                  .filter(day => day.failing.includes(result.ruleId)).length;
                return (
                  <TableRow key={result.ruleId}>
                    <TableCell style={TEXT_COLUMN}>
                      <Typography variant="subtitle2">
                        {result.title}
                      </Typography>
                      <Typography variant="body2" color="textSecondary">
                        {descriptionOf(result.ruleId)}
                      </Typography>
                    </TableCell>
                    <TableCell style={SHORT_COLUMN}>
                      <OutcomeChip outcome={result.outcome} />
                    </TableCell>
                    <TableCell style={TEXT_COLUMN}>
                      <Details result={result} />
                    </TableCell>
                    <TableCell style={SHORT_COLUMN}>
                      <HistoryStrip
                        cells={cells}
                        label={`${result.title}: failing on ${failedDays} of the last ${cells.length} days`}
                      />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </InfoCard>
      </Grid>

      <Grid item xs={12}>
        <InfoCard title="Exemptions">
          <ExemptionsTable
            exemptions={scorecard.exemptions}
            ruleTitle={ruleTitle}
            onChanged={onChanged}
          />
        </InfoCard>
      </Grid>

      {requesting && (
        <RequestExemptionDialog
          open
          entityRef={entityRef}
          failing={failing}
          maxDays={rules.exemptionMaxDays}
          onClose={() => setRequesting(false)}
          onRequested={() => {
            setRequesting(false);
            alertApi.post({
              message: 'Exemption requested; the platform team will review it',
              severity: 'success',
              display: 'transient',
            });
            onChanged();
          }}
        />
      )}
    </Grid>
  );
}

/** The scorecard tab of a component: every rule, its history and its exemptions. */
export function EntityScorecardContent() {
  const { value, loading, error, retry, entityRef } = useEntityScorecard({
    history: true,
  });

  // Only the first load shows progress; a refresh keeps the page in place.
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return <ErrorNotice error={error} action="load the scorecard" />;
  }
  if (!value?.scorecard) {
    return (
      <InfoCard title="Scorecard">
        <Typography variant="subtitle1">Not evaluated yet</Typography>
        <Typography variant="body2" color="textSecondary">
          Scorecards are computed on a schedule. This entity will have one after
          the next evaluation.
        </Typography>
      </InfoCard>
    );
  }
  if (!value.scorecard.applicable) {
    return (
      <InfoCard title="Scorecard">
        <NoRuleApplies />
      </InfoCard>
    );
  }
  return (
    <Scorecard
      scorecard={value.scorecard}
      rules={value.rules}
      entityRef={entityRef}
      onChanged={retry}
    />
  );
}
