import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { RuleOutcome } from '@internal/plugin-scorecard-common';

const useStyles = makeStyles((theme: Theme) => ({
  pass: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  fail: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  exempt: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
}));

const LABELS: Record<RuleOutcome, string> = {
  pass: 'Pass',
  fail: 'Fail',
  exempt: 'Exempt',
};

export function OutcomeChip(props: { outcome: RuleOutcome }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={LABELS[props.outcome]}
      className={classes[props.outcome]}
    />
  );
}
