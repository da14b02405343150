import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { ExemptionRecord } from '@internal/plugin-scorecard-common';
import { scorecardApiRef } from '../../api';
import { ErrorNotice } from '../shared/ErrorNotice';
import { formatDay } from '../shared/format';

export type Decision = 'approve' | 'reject' | 'revoke';

const WORDING: Record<
  Decision,
  { verb: string; done: string; explain: string }
> = {
  approve: {
    verb: 'Approve',
    done: 'approved',
    explain: 'The rule will count as met for this entity until',
  },
  reject: {
    verb: 'Reject',
    done: 'rejected',
    explain: 'The rule keeps failing. The request would have run until',
  },
  revoke: {
    verb: 'Revoke',
    done: 'revoked',
    explain: 'The rule fails again from now on instead of at expiry on',
  },
};

/** Confirms a decision on an exemption, with an optional comment. */
export function DecisionDialog(props: {
  exemption: ExemptionRecord;
  ruleTitle: string;
  decision: Decision;
  onClose: () => void;
  onDecided: () => void;
}) {
  const { exemption, ruleTitle, decision, onClose, onDecided } = props;
  const scorecardApi = useApi(scorecardApiRef);
  const alertApi = useApi(alertApiRef);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const wording = WORDING[decision];

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    const options = { comment: comment.trim() || undefined };
    try {
      if (decision === 'approve') {
        await scorecardApi.approveExemption(exemption.id, options);
      } else if (decision === 'reject') {
        await scorecardApi.rejectExemption(exemption.id, options);
      } else {
        await scorecardApi.revokeExemption(exemption.id, options);
      }
      alertApi.post({
        message: `Exemption for ${ruleTitle} ${wording.done}`,
        severity: 'success',
        display: 'transient',
      });
      onDecided();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="scorecard-decision-title"
    >
      <DialogTitle id="scorecard-decision-title">
        {wording.verb} exemption: {ruleTitle}
      </DialogTitle>
      <DialogContent>
        {error !== undefined && (
          <ErrorNotice
            error={error}
            action={`${wording.verb.toLocaleLowerCase('en-US')} this exemption`}
          />
        )}
        <DialogContentText>
          {wording.explain} {formatDay(exemption.expiresAt)}.
        </DialogContentText>
        <TextField
          id="scorecard-decision-comment"
          label="Comment (optional)"
          value={comment}
          onChange={e => setComment(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          margin="normal"
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          {wording.verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
