import { Link, Progress } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  EntitySummary,
  ScorecardLevel,
} from '@internal/plugin-scorecard-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { scorecardApiRef } from '../../api';
import { ErrorNotice } from '../shared/ErrorNotice';
import { LevelBadge, levelTitle } from '../shared/LevelBadge';
import { entityName, ownersOf, useEntityPath } from './links';

const useStyles = makeStyles((theme: Theme) => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'grid',
    gridTemplateColumns: 'minmax(8rem, 14rem) auto 1fr',
    alignItems: 'baseline',
    gap: theme.spacing(1, 2),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  name: { fontWeight: 500, overflowWrap: 'normal', wordBreak: 'keep-all' },
}));

/** Lowest level first (none before the lowest), so what needs work leads. */
function byNeed(levels: ScorecardLevel[]) {
  const rank = (e: EntitySummary) =>
    e.level ? levels.findIndex(l => l.id === e.level) : -1;
  return (a: EntitySummary, b: EntitySummary) =>
    rank(a) - rank(b) || a.entityRef.localeCompare(b.entityRef);
}

function NextFix(props: { service: EntitySummary; levels: ScorecardLevel[] }) {
  const { service, levels } = props;
  if (!service.nextLevel) {
    return (
      <Typography variant="body2" color="textSecondary">
        Top level: nothing left to fix
      </Typography>
    );
  }
  if (!service.nextFix) {
    return null;
  }
  return (
    <Typography variant="body2">
      <strong>
        Next for {levelTitle(service.nextLevel, levels)}:{' '}
        {service.nextFix.title}.
      </strong>{' '}
      {service.nextFix.howToFix}
    </Typography>
  );
}

/**
 * The services of the signed-in user's teams, each with its level and the one next thing
 * to fix; what needs most work first.
 */
export function TeamServicesContent() {
  const classes = useStyles();
  const identityApi = useApi(identityApiRef);
  const scorecardApi = useApi(scorecardApiRef);
  const entityPath = useEntityPath();
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const identity = await identityApi.getBackstageIdentity();
    const owners = ownersOf(identity.ownershipEntityRefs);
    if (owners.length === 0) {
      return { services: [], levels: [] };
    }
    const [services, rules] = await Promise.all([
      scorecardApi.listOwnedEntities(owners),
      scorecardApi.getRules(),
    ]);
    return { services: [...services].sort(byNeed(rules.levels)), ...rules };
  }, [identityApi, scorecardApi]);

  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return (
      <>
        <ErrorNotice error={error} action="load your teams' services" />
        <Button variant="outlined" size="small" onClick={retry}>
          Try again
        </Button>
      </>
    );
  }
  if (value.services.length === 0) {
    return (
      <Typography variant="body2">
        Your teams own no services yet: create one with a golden path.
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Your teams' services">
      {value.services.map(service => {
        const path = entityPath(service.entityRef);
        const name = entityName(service.entityRef);
        return (
          <li key={service.entityRef} className={classes.item}>
            <Typography variant="body1" className={classes.name}>
              {path ? <Link to={path}>{name}</Link> : name}
            </Typography>
            <LevelBadge
              levelId={service.level}
              levels={value.levels}
              size="small"
            />
            <NextFix service={service} levels={value.levels} />
          </li>
        );
      })}
    </ul>
  );
}
