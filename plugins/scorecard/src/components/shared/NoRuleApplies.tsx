import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** For an entity no rule applies to: it has no level, rather than one with nothing missing. */
export function NoRuleApplies() {
  return (
    <Box>
      <Typography variant="subtitle1">
        No guardrail applies to this kind of entity
      </Typography>
      <Typography variant="body2" color="textSecondary">
        The scorecard&apos;s rules are written for other kinds of entities, so
        this one has no level and nothing to fix.
      </Typography>
    </Box>
  );
}
