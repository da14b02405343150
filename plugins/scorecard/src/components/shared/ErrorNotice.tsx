import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { ResponseError } from '@backstage/errors';

const useStyles = makeStyles((theme: Theme) => ({
  notice: {
    padding: theme.spacing(1.5, 2),
    borderRadius: theme.shape.borderRadius,
    borderLeft: `4px solid ${theme.palette.error.main}`,
    backgroundColor: theme.palette.background.default,
    marginBottom: theme.spacing(2),
  },
}));

/**
 * What went wrong, in the backend's own words when it said something: a failed call
 * carries the server's error (like "Only the platform team may decide") as its cause.
 */
function describeError(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.cause.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A failed call, worded for people: the backend's message, under a plain heading. */
export function ErrorNotice(props: { error: unknown; action: string }) {
  const classes = useStyles();
  const forbidden =
    ResponseError.is(props.error) && props.error.statusCode === 403;
  return (
    <Box role="alert" className={classes.notice}>
      <Typography variant="subtitle2">
        {forbidden
          ? `You are not allowed to ${props.action}`
          : `Could not ${props.action}`}
      </Typography>
      <Typography variant="body2">{describeError(props.error)}</Typography>
    </Box>
  );
}
