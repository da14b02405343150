import { useState, FormEvent } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { RuleResultView } from '@internal/plugin-scorecard-common';
import { scorecardApiRef } from '../../api';
import { ErrorNotice } from '../shared/ErrorNotice';
import { addDays } from '../shared/format';

const DEFAULT_DAYS = 30;

interface Form {
  ruleId: string;
  reason: string;
  expiresAt: string;
  riskSignoff: string;
}

function validate(form: Form, minDay: string, maxDay: string) {
  const errors: Partial<Record<keyof Form, string>> = {};
  if (!form.ruleId) errors.ruleId = 'Choose the rule to be exempted from';
  if (!form.reason.trim()) errors.reason = 'Say why the rule cannot be met now';
  if (!form.riskSignoff.trim()) {
    errors.riskSignoff = 'Name who accepts the risk';
  }
  if (!form.expiresAt) {
    errors.expiresAt = 'Choose when the exemption ends';
  } else if (form.expiresAt < minDay || form.expiresAt > maxDay) {
    errors.expiresAt = `Choose a day between ${minDay} and ${maxDay}`;
  }
  return errors;
}

/** Asks for an exemption to one of the failing rules, until a chosen day. */
export function RequestExemptionDialog(props: {
  open: boolean;
  entityRef: string;
  failing: RuleResultView[];
  maxDays: number;
  onClose: () => void;
  onRequested: () => void;
}) {
  const { open, entityRef, failing, maxDays, onClose, onRequested } = props;
  const scorecardApi = useApi(scorecardApiRef);
  const today = new Date();
  const minDay = addDays(today, 1);
  const maxDay = addDays(today, maxDays);
  const [form, setForm] = useState<Form>(() => ({
    ruleId: failing[0]?.ruleId ?? '',
    reason: '',
    expiresAt: addDays(today, Math.min(DEFAULT_DAYS, maxDays)),
    riskSignoff: '',
  }));
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>();

  const errors = validate(form, minDay, maxDay);
  const shown = touched ? errors : {};
  const set = (field: keyof Form) => (value: string) =>
    setForm(current => ({ ...current, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length > 0) {
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      await scorecardApi.requestExemption({
        entityRef,
        ruleId: form.ruleId,
        reason: form.reason.trim(),
        expiresAt: form.expiresAt,
        riskSignoff: form.riskSignoff.trim(),
      });
      onRequested();
    } catch (e) {
      setError(e);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="scorecard-request-exemption-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="scorecard-request-exemption-title">
          Request exemption
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            An approved exemption counts the rule as met until it expires, at
            most {maxDays} days from today. The platform team approves it.
          </DialogContentText>
          {error !== undefined && (
            <ErrorNotice error={error} action="request this exemption" />
          )}
          <TextField
            select
            id="scorecard-exemption-rule"
            label="Rule"
            value={form.ruleId}
            onChange={e => set('ruleId')(e.target.value)}
            SelectProps={{ native: true }}
            error={Boolean(shown.ruleId)}
            helperText={shown.ruleId ?? 'Only failing rules can be exempted'}
            fullWidth
            margin="normal"
            required
          >
            {failing.map(result => (
              <option key={result.ruleId} value={result.ruleId}>
                {result.title}
              </option>
            ))}
          </TextField>
          <TextField
            id="scorecard-exemption-reason"
            label="Reason"
            value={form.reason}
            onChange={e => set('reason')(e.target.value)}
            error={Boolean(shown.reason)}
            helperText={
              shown.reason ?? 'Why the rule cannot be met now, and the plan'
            }
            fullWidth
            multiline
            minRows={2}
            margin="normal"
            required
          />
          <TextField
            id="scorecard-exemption-expires"
            label="Expires on"
            type="date"
            value={form.expiresAt}
            onChange={e => set('expiresAt')(e.target.value)}
            error={Boolean(shown.expiresAt)}
            helperText={shown.expiresAt ?? `At most ${maxDays} days from today`}
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: minDay, max: maxDay }}
            fullWidth
            margin="normal"
            required
          />
          <TextField
            id="scorecard-exemption-risk-signoff"
            label="Risk sign-off"
            value={form.riskSignoff}
            onChange={e => set('riskSignoff')(e.target.value)}
            error={Boolean(shown.riskSignoff)}
            helperText={
              shown.riskSignoff ??
              'Who accepts the risk of running without the rule, e.g. the service owner'
            }
            fullWidth
            margin="normal"
            required
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
          >
            Request
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
