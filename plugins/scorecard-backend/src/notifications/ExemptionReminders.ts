import { ExemptionStore } from '../database/ExemptionStore';
import { NoticeStore } from '../database/NoticeStore';
import { ScorecardStore } from '../database/ScorecardStore';
import { DAY_MS } from '../scoring/days';
import { ScorecardNotifier } from './ScorecardNotifier';

/** How long before its expiry an exemption's owner and requester are warned. */
export const EXPIRY_WARNING_DAYS = 7;

/**
 * Warns about exemptions that expire within a week, and tells when they have expired,
 * once per exemption and event: a notice is claimed in the database before it is sent
 * (so two replicas never both send it) and released when sending failed (so the next
 * sweep tries again). Exemptions that expired more than a week ago are left alone.
 */
export class ExemptionReminders {
  private constructor(
    private readonly deps: {
      exemptions: ExemptionStore;
      scores: ScorecardStore;
      notices: NoticeStore;
      notifier: ScorecardNotifier;
      now: () => Date;
    },
  ) {}

  static create(deps: {
    exemptions: ExemptionStore;
    scores: ScorecardStore;
    notices: NoticeStore;
    notifier: ScorecardNotifier;
    now: () => Date;
  }): ExemptionReminders {
    return new ExemptionReminders(deps);
  }

  async run(): Promise<{ sent: number; failed: number }> {
    const { exemptions, scores, notices, notifier } = this.deps;
    const now = this.deps.now();
    const window = EXPIRY_WARNING_DAYS * DAY_MS;
    const ending = await exemptions.approvedEnding(
      new Date(now.getTime() - window).toISOString(),
      new Date(now.getTime() + window).toISOString(),
    );
    let sent = 0;
    let failed = 0;
    for (const exemption of ending) {
      const event =
        Date.parse(exemption.expiresAt) <= now.getTime()
          ? 'expired'
          : 'expiring';
      const notice = `${exemption.id}:${event}`;
      if (!(await notices.claim(notice, now.toISOString()))) {
        continue;
      }
      const owner = (await scores.latestResults(exemption.entityRef))?.owner;
      if (await notifier.exemptionEnding(exemption, event, owner)) {
        sent += 1;
      } else {
        // the notifications backend is away: the rest wait for the next sweep
        await notices.release(notice);
        failed += 1;
        break;
      }
    }
    return { sent, failed };
  }
}
