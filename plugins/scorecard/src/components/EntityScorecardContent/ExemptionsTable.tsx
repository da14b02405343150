import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ExemptionRecord,
  ExemptionStatus,
  scorecardExemptionApprovePermission,
} from '@internal/plugin-scorecard-common';
import { NAME_COLUMN, SHORT_COLUMN, TEXT_COLUMN } from '../shared/columns';
import { formatDay } from '../shared/format';
import { Decision, DecisionDialog } from './DecisionDialog';

const STATUS_LABELS: Record<ExemptionStatus, string> = {
  requested: 'Requested',
  approved: 'Approved',
  rejected: 'Rejected',
  revoked: 'Revoked',
  expired: 'Expired',
};

const DECISIONS: Partial<Record<ExemptionStatus, Decision[]>> = {
  requested: ['approve', 'reject'],
  approved: ['revoke'],
};

const VERBS: Record<Decision, string> = {
  approve: 'Approve',
  reject: 'Reject',
  revoke: 'Revoke',
};

function StatusChip(props: { status: ExemptionStatus }) {
  const { status } = props;
  return (
    <Chip
      size="small"
      label={STATUS_LABELS[status]}
      color={status === 'approved' ? 'primary' : 'default'}
      variant={status === 'requested' ? 'outlined' : 'default'}
    />
  );
}

function Decided(props: { exemption: ExemptionRecord }) {
  const { decidedBy, decidedAt, decisionComment } = props.exemption;
  if (!decidedBy) {
    return <>Pending</>;
  }
  return (
    <>
      {decidedBy}
      {decidedAt && ` on ${formatDay(decidedAt)}`}
      {decisionComment && (
        <Typography variant="body2" color="textSecondary">
          “{decisionComment}”
        </Typography>
      )}
    </>
  );
}

/**
 * Every exemption of the entity, newest first, with the decisions still open for those
 * who may take them (the server checks the permission again on each decision).
 */
export function ExemptionsTable(props: {
  exemptions: ExemptionRecord[];
  ruleTitle: (ruleId: string) => string;
  onChanged: () => void;
}) {
  const { exemptions, ruleTitle, onChanged } = props;
  const [pending, setPending] = useState<{
    exemption: ExemptionRecord;
    decision: Decision;
  }>();
  // approving, rejecting and revoking are one permission on the server
  const { allowed: mayDecide } = usePermission({
    permission: scorecardExemptionApprovePermission,
  });

  if (exemptions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No exemptions have been requested for this entity.
      </Typography>
    );
  }

  const sorted = [...exemptions].sort((a, b) =>
    b.requestedAt.localeCompare(a.requestedAt),
  );

  return (
    <>
      <Table size="small" aria-label="Exemptions">
        <TableHead>
          <TableRow>
            <TableCell style={NAME_COLUMN}>Rule</TableCell>
            <TableCell style={SHORT_COLUMN}>Status</TableCell>
            <TableCell style={SHORT_COLUMN}>Expires</TableCell>
            <TableCell style={TEXT_COLUMN}>Reason</TableCell>
            <TableCell style={TEXT_COLUMN}>Risk sign-off</TableCell>
            <TableCell style={SHORT_COLUMN}>Requested by</TableCell>
            <TableCell style={NAME_COLUMN}>Decision</TableCell>
            {mayDecide && <TableCell style={SHORT_COLUMN}>Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map(exemption => (
            <TableRow key={exemption.id}>
              <TableCell style={NAME_COLUMN}>
                {ruleTitle(exemption.ruleId)}
              </TableCell>
              <TableCell style={SHORT_COLUMN}>
                <StatusChip status={exemption.status} />
              </TableCell>
              <TableCell style={SHORT_COLUMN}>
                {formatDay(exemption.expiresAt)}
              </TableCell>
              <TableCell style={TEXT_COLUMN}>{exemption.reason}</TableCell>
              <TableCell style={TEXT_COLUMN}>{exemption.riskSignoff}</TableCell>
              <TableCell style={SHORT_COLUMN}>
                {exemption.requestedBy}
                <Typography variant="body2" color="textSecondary">
                  {formatDay(exemption.requestedAt)}
                </Typography>
              </TableCell>
              <TableCell style={NAME_COLUMN}>
                <Decided exemption={exemption} />
              </TableCell>
              {mayDecide && (
                <TableCell style={SHORT_COLUMN}>
                  {(DECISIONS[exemption.status] ?? []).map(decision => (
                    <Button
                      key={decision}
                      size="small"
                      color={decision === 'approve' ? 'primary' : 'default'}
                      onClick={() => setPending({ exemption, decision })}
                      aria-label={`${VERBS[decision]} exemption for ${ruleTitle(
                        exemption.ruleId,
                      )}`}
                    >
                      {VERBS[decision]}
                    </Button>
                  ))}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {pending && mayDecide && (
        <DecisionDialog
          exemption={pending.exemption}
          decision={pending.decision}
          ruleTitle={ruleTitle(pending.exemption.ruleId)}
          onClose={() => setPending(undefined)}
          onDecided={() => {
            setPending(undefined);
            onChanged();
          }}
        />
      )}
    </>
  );
}
