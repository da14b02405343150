import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { ResponseError } from '@backstage/errors';
import { FiguresResponse } from '@internal/plugin-insights-common';

const useStyles = makeStyles((theme: Theme) => ({
  notice: {
    padding: theme.spacing(1.5, 2),
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.paper,
    marginBottom: theme.spacing(2),
  },
  info: { borderLeft: `4px solid ${theme.palette.info.main}` },
  warning: { borderLeft: `4px solid ${theme.palette.warning.main}` },
  error: { borderLeft: `4px solid ${theme.palette.error.main}` },
}));

/** Why some figures are missing or short, when GitHub could not be read in full. */
export function GitHubNotice(props: { github: FiguresResponse['github'] }) {
  const classes = useStyles();
  const { configured, complete, problem } = props.github;
  if (!configured) {
    return (
      <Box role="note" className={`${classes.notice} ${classes.info}`}>
        <Typography variant="body2">
          GitHub is not configured: time to first PR and lead time are not
          measured
        </Typography>
      </Box>
    );
  }
  if (!complete) {
    return (
      <Box role="note" className={`${classes.notice} ${classes.warning}`}>
        <Typography variant="subtitle2">
          The GitHub figures are partial
        </Typography>
        <Typography variant="body2">
          {problem ??
            'Not every pull request or deployment could be read from GitHub.'}{' '}
          Time to first PR and lead time count only what was read.
        </Typography>
      </Box>
    );
  }
  return null;
}

/** A failed call in the backend's own words, when it gave some. */
export function ErrorNotice(props: { error: Error }) {
  const classes = useStyles();
  const { error } = props;
  const message = ResponseError.is(error)
    ? error.cause.message || error.message
    : error.message;
  return (
    <Box role="alert" className={`${classes.notice} ${classes.error}`}>
      <Typography variant="subtitle2">Could not load the insights</Typography>
      <Typography variant="body2">{message}</Typography>
    </Box>
  );
}
