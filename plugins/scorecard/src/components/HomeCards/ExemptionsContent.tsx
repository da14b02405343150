import { Link, Progress } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  ExemptionRecord,
  scorecardExemptionApprovePermission,
} from '@internal/plugin-scorecard-common';
import { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { scorecardApiRef } from '../../api';
import { ErrorNotice } from '../shared/ErrorNotice';
import { formatDay } from '../shared/format';
import { entityName, ownersOf, useEntityPath } from './links';

/** How far ahead an expiry is worth telling its owner about. */
export const EXPIRY_HORIZON_DAYS = 14;
const DAY_MS = 24 * 60 * 60 * 1000;

const useStyles = makeStyles((theme: Theme) => ({
  heading: { marginTop: theme.spacing(1) },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
}));

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function daysLeft(expiresAt: string, now: number): string {
  const days = Math.ceil((Date.parse(expiresAt) - now) / DAY_MS);
  return days <= 1 ? 'within a day' : `in ${days} days`;
}

function Section(props: {
  title: string;
  items: ExemptionRecord[];
  empty: string;
  render: (exemption: ExemptionRecord) => ReactNode;
}) {
  const classes = useStyles();
  return (
    <section aria-label={props.title}>
      <Typography
        variant="subtitle1"
        component="h3"
        className={classes.heading}
      >
        {props.title}
      </Typography>
      {props.items.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {props.empty}
        </Typography>
      ) : (
        <ul className={classes.list}>
          {props.items.map(exemption => (
            <li key={exemption.id} className={classes.item}>
              {props.render(exemption)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The exemptions waiting for the signed-in user: for those who may decide on them (the
 * permission `scorecard.exemption.approve`, the platform team), the requests to decide;
 * for everyone, theirs and their teams' that expire within 14 days.
 */
export function ExemptionsContent() {
  const identityApi = useApi(identityApiRef);
  const scorecardApi = useApi(scorecardApiRef);
  const entityPath = useEntityPath();
  const permission = usePermission({
    permission: scorecardExemptionApprovePermission,
  });
  const canDecide = permission.allowed;
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    if (permission.loading) {
      return undefined;
    }
    const identity = await identityApi.getBackstageIdentity();
    const owners = ownersOf(identity.ownershipEntityRefs);
    const [rules, requested, approved, owned] = await Promise.all([
      scorecardApi.getRules(),
      canDecide
        ? scorecardApi.listExemptions({ status: 'requested' })
        : Promise.resolve([]),
      scorecardApi.listExemptions({ status: 'approved' }),
      owners.length > 0
        ? scorecardApi.listOwnedEntities(owners)
        : Promise.resolve([]),
    ]);
    const now = Date.now();
    const user = lower(identity.userEntityRef);
    const ours = new Set(owned.map(service => lower(service.entityRef)));
    const expiring = approved
      .filter(e => {
        const expiresAt = Date.parse(e.expiresAt);
        return (
          (lower(e.requestedBy) === user || ours.has(lower(e.entityRef))) &&
          expiresAt > now &&
          expiresAt <= now + EXPIRY_HORIZON_DAYS * DAY_MS
        );
      })
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
    const titles = new Map(rules.rules.map(rule => [rule.id, rule.title]));
    return { requested, expiring, titles, now };
  }, [identityApi, scorecardApi, permission.loading, canDecide]);

  if (loading || permission.loading || (!value && !error)) {
    return <Progress />;
  }
  if (error || !value) {
    return (
      <>
        <ErrorNotice error={error} action="load the exemptions" />
        <Button variant="outlined" size="small" onClick={retry}>
          Try again
        </Button>
      </>
    );
  }
  const { titles, now } = value;
  const describe = (exemption: ExemptionRecord, detail: string) => {
    const path = entityPath(exemption.entityRef, 'scorecard');
    const name = entityName(exemption.entityRef);
    return (
      <>
        <Typography variant="body2">
          <strong>{titles.get(exemption.ruleId) ?? exemption.ruleId}</strong> on{' '}
          {path ? <Link to={path}>{name}</Link> : name}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {detail}
        </Typography>
      </>
    );
  };
  return (
    <>
      {canDecide && (
        <Section
          title="Requests to decide"
          items={value.requested}
          empty="No exemption requests are waiting for a decision."
          render={e =>
            describe(
              e,
              `${entityName(e.requestedBy, 'user')} asks until ${formatDay(
                e.expiresAt,
              )}: ${e.reason}`,
            )
          }
        />
      )}
      <Section
        title={`Yours, expiring within ${EXPIRY_HORIZON_DAYS} days`}
        items={value.expiring}
        empty={`None of your exemptions expires in the next ${EXPIRY_HORIZON_DAYS} days.`}
        render={e =>
          describe(
            e,
            `Expires ${formatDay(e.expiresAt)} (${daysLeft(
              e.expiresAt,
              now,
            )}): fix the rule or request a new exemption.`,
          )
        }
      />
    </>
  );
}
