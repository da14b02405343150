import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  EntityScorecardResponse,
  RulesResponse,
} from '@internal/plugin-scorecard-common';
import { formatDay } from '../shared/format';
import { ErrorNotice } from '../shared/ErrorNotice';
import { LevelBadge, levelTitle } from '../shared/LevelBadge';
import { NoRuleApplies } from '../shared/NoRuleApplies';
import {
  findingOf,
  useEntityScorecard,
  useScorecardTabLink,
} from '../shared/useEntityScorecard';

const useStyles = makeStyles((theme: Theme) => ({
  summary: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
  },
  section: { marginTop: theme.spacing(2) },
  // The card may sit in the narrow info column: long texts wrap instead of widening it.
  text: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
  fix: {
    marginTop: theme.spacing(0.5),
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
}));

function NotEvaluated() {
  return (
    <Box>
      <Typography variant="subtitle1">Not evaluated yet</Typography>
      <Typography variant="body2" color="textSecondary">
        Scorecards are computed on a schedule. This component will have one
        after the next evaluation.
      </Typography>
    </Box>
  );
}

function Summary(props: {
  scorecard: EntityScorecardResponse;
  rules: RulesResponse;
}) {
  const classes = useStyles();
  const { scorecard, rules } = props;
  const failing = scorecard.results.filter(r => r.outcome === 'fail');
  const exempt = scorecard.results.filter(r => r.outcome === 'exempt');
  const passing = scorecard.results.length - failing.length;
  const titleOf = (ruleId: string) =>
    scorecard.results.find(r => r.ruleId === ruleId)?.title ?? ruleId;

  return (
    <>
      <Box className={classes.summary}>
        <LevelBadge levelId={scorecard.level} levels={rules.levels} />
        <Typography variant="body2">
          {passing} of {scorecard.results.length} rules pass or are exempt
        </Typography>
      </Box>
      {scorecard.nextLevel && (
        <Typography variant="body2" color="textSecondary">
          To reach {levelTitle(scorecard.nextLevel.id, rules.levels)}:{' '}
          {scorecard.nextLevel.missing.map(titleOf).join(', ')}
        </Typography>
      )}

      {failing.length === 0 ? (
        <Typography className={classes.section} variant="body2">
          No failing rules.
        </Typography>
      ) : (
        <Box className={classes.section}>
          <Typography variant="subtitle2">
            Failing rules ({failing.length})
          </Typography>
          <List dense aria-label="Failing rules">
            {failing.map(result => (
              <ListItem key={result.ruleId} disableGutters>
                <ListItemText
                  primary={result.title}
                  secondaryTypographyProps={{ component: 'div' }}
                  secondary={
                    <>
                      <Typography variant="body2" className={classes.text}>
                        {findingOf(result)}
                      </Typography>
                      <Typography variant="body2" className={classes.fix}>
                        <strong>How to fix:</strong> {result.howToFix}
                      </Typography>
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        </Box>
      )}

      {exempt.length > 0 && (
        <Box className={classes.section}>
          <Typography variant="subtitle2">
            Exempt rules ({exempt.length})
          </Typography>
          <List dense aria-label="Exempt rules">
            {exempt.map(result => (
              <ListItem key={result.ruleId} disableGutters>
                <ListItemText
                  primary={result.title}
                  secondary={
                    result.exemption
                      ? `Exempt until ${formatDay(
                          result.exemption.expiresAt,
                        )}: ${result.exemption.reason}`
                      : 'Exempt'
                  }
                />
              </ListItem>
            ))}
          </List>
        </Box>
      )}
    </>
  );
}

/** The scorecard of a component on its overview page. */
export function EntityScorecardCard() {
  const { value, loading, error } = useEntityScorecard();
  const tabLink = useScorecardTabLink();

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <ErrorNotice error={error} action="load the scorecard" />;
  } else if (!value?.scorecard) {
    content = <NotEvaluated />;
  } else if (!value.scorecard.applicable) {
    content = <NoRuleApplies />;
  } else {
    content = <Summary scorecard={value.scorecard} rules={value.rules} />;
  }

  return (
    <InfoCard
      title="Scorecard"
      deepLink={
        tabLink
          ? { title: 'View the full scorecard', link: tabLink }
          : undefined
      }
    >
      {content}
    </InfoCard>
  );
}
