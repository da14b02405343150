import { tryEntityKey } from '@internal/paved-road-common';
import {
  Exemption,
  ExemptionRecord,
  RuleResult,
} from '@internal/plugin-scorecard-common';

/**
 * Turns the failing results of one entity into `exempt` where an exemption for that rule
 * and entity is still running at `now`. An exemption applies up to, not including, its
 * `expiresAt`, after which it stops applying by itself; one with an unreadable `expiresAt`
 * never applies. Passing results stay as they are.
 *
 * @public
 */
export function applyExemptions(
  entityRef: string,
  results: RuleResult[],
  exemptions: Exemption[],
  now: Date,
): RuleResult[] {
  const ref = tryEntityKey(entityRef);
  const running = exemptions.filter(exemption => {
    const expiresAt = Date.parse(exemption.expiresAt);
    return (
      ref !== undefined &&
      tryEntityKey(exemption.entityRef) === ref &&
      !Number.isNaN(expiresAt) &&
      now.getTime() < expiresAt
    );
  });
  return results.map(result => {
    if (result.outcome !== 'fail') {
      return result;
    }
    // With several running exemptions, the one lasting longest is the one that matters.
    const exemption = running
      .filter(e => e.ruleId === result.ruleId)
      .sort((a, b) => Date.parse(b.expiresAt) - Date.parse(a.expiresAt))[0];
    if (!exemption) {
      return result;
    }
    const approvedBy = exemption.approvedBy
      ? `, approved by ${exemption.approvedBy}`
      : '';
    return {
      ruleId: result.ruleId,
      outcome: 'exempt',
      message: `Exempt until ${new Date(
        Date.parse(exemption.expiresAt),
      ).toISOString()}${approvedBy}: ${
        exemption.reason
      }. Without the exemption: ${result.message}`,
    };
  });
}

/** The stored status, or `expired` for an approved exemption whose time has passed. */
export function withEffectiveStatus(
  exemption: ExemptionRecord,
  now: Date,
): ExemptionRecord {
  return exemption.status === 'approved' &&
    Date.parse(exemption.expiresAt) <= now.getTime()
    ? { ...exemption, status: 'expired' }
    : exemption;
}

/** Of the running exemptions from one rule, the one lasting longest. */
export function longestRunning(
  running: ExemptionRecord[],
  ruleId: string,
): ExemptionRecord | undefined {
  return running
    .filter(e => e.ruleId === ruleId)
    .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))[0];
}

export function groupByEntity(
  exemptions: ExemptionRecord[],
): Map<string, ExemptionRecord[]> {
  const map = new Map<string, ExemptionRecord[]>();
  for (const exemption of exemptions) {
    const list = map.get(exemption.entityRef) ?? [];
    list.push(exemption);
    map.set(exemption.entityRef, list);
  }
  return map;
}
