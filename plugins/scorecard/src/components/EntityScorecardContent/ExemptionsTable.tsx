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
            <TableCell>Rule</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell>Reason</TableCell>
            <TableCell>Risk sign-off</TableCell>
            <TableCell>Requested by</TableCell>
            <TableCell>Decision</TableCell>
            {true && <TableCell>Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {sorted.map(exemption => (
            <TableRow key={exemption.id}>
              <TableCell>{ruleTitle(exemption.ruleId)}</TableCell>
              <TableCell>
                <StatusChip status={exemption.status} />
              </TableCell>
              <TableCell>{formatDay(exemption.expiresAt)}</TableCell>
              <TableCell>{exemption.reason}</TableCell>
              <TableCell>{exemption.riskSignoff}</TableCell>
              <TableCell>
                {exemption.requestedBy}
                <Typography variant="body2" color="textSecondary">
                  {formatDay(exemption.requestedAt)}
                </Typography>
              </TableCell>
              <TableCell>
                <Decided exemption={exemption} />
              </TableCell>
              {true && (
                <TableCell>
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
