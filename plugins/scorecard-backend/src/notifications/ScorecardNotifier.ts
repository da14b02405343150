import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { ExemptionRecord } from '@internal/plugin-scorecard-common';

// A notifications backend that hangs must not hold an approval or a sweep for long.
const SEND_TIMEOUT_MS = 5000;

/** How rules and levels are named to people (their configured titles). */
export interface ScorecardTitles {
  rule(id: string): string;
  level(id: string): string;
}

/** The topic every scorecard notification carries, for the user's notification settings. */
export const SCORECARD_TOPIC = 'scorecard';

/** The service's Scorecard tab, where exemptions are requested and levels explained. */
export function scorecardTabLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind,
  )}/${encodeURIComponent(name)}/scorecard`;
}

function nameOf(entityRef: string): string {
  return parseEntityRef(entityRef).name;
}

// One notification per exemption, in each recipient's list: a later event about the same
// exemption (approved, then expiring, then expired) updates it and marks it unread again.
function exemptionScope(exemption: ExemptionRecord): string {
  return `scorecard:exemption:${exemption.id}`;
}

function withTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${SEND_TIMEOUT_MS} ms`)),
      SEND_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What the scorecard tells people through the notifications backend. Sending never
 * throws: a notifications outage is logged and the operation that caused it goes on.
 */
export class ScorecardNotifier {
  private constructor(
    private readonly notifications: NotificationService | undefined,
    private readonly logger: LoggerService | undefined,
    private readonly titles: ScorecardTitles,
  ) {}

  /** Without `notifications`, nothing is sent (the benchmarks assemble it so). */
  static create(options: {
    notifications?: NotificationService;
    logger?: LoggerService;
    /** The rules' and levels' titles, as the Scorecard tab shows them. */
    titles?: ScorecardTitles;
  }): ScorecardNotifier {
    return new ScorecardNotifier(
      options.notifications,
      options.logger,
      options.titles ?? { rule: id => id, level: id => id },
    );
  }

  /** Tells the requester their exemption was approved, rejected or revoked. */
  async exemptionDecided(exemption: ExemptionRecord): Promise<boolean> {
    const verb = exemption.status;
    if (verb !== 'approved' && verb !== 'rejected' && verb !== 'revoked') {
      return true;
    }
    const by = exemption.decidedBy ? ` by ${nameOf(exemption.decidedBy)}` : '';
    const comment = exemption.decisionComment
      ? ` Comment: ${exemption.decisionComment}`
      : '';
    const until =
      verb === 'approved' ? ` It applies until ${exemption.expiresAt}.` : '';
    return this.send(`exemption ${exemption.id} ${verb}`, {
      recipients: { type: 'entity', entityRef: exemption.requestedBy },
      payload: {
        title: `Exemption ${verb}: ${this.titles.rule(
          exemption.ruleId,
        )} on ${nameOf(exemption.entityRef)}`,
        description: `Your exemption from rule '${exemption.ruleId}' for ${exemption.entityRef} was ${verb}${by}.${until}${comment}`,
        link: scorecardTabLink(exemption.entityRef),
        severity: verb === 'approved' ? 'normal' : 'high',
        topic: SCORECARD_TOPIC,
        scope: exemptionScope(exemption),
      },
    });
  }

  /**
   * Tells the entity's owner and the requester that an exemption expires soon, or has
   * expired and the rule applies again.
   */
  async exemptionEnding(
    exemption: ExemptionRecord,
    event: 'expiring' | 'expired',
    owner: string | undefined,
  ): Promise<boolean> {
    const name = nameOf(exemption.entityRef);
    const rule = this.titles.rule(exemption.ruleId);
    const title =
      event === 'expiring'
        ? `Exemption expiring: ${rule} on ${name}`
        : `Exemption expired: ${rule} on ${name}`;
    const description =
      event === 'expiring'
        ? `The exemption from rule '${exemption.ruleId}' for ${exemption.entityRef} expires at ${exemption.expiresAt}. Fix the rule, or request a new exemption, before then.`
        : `The exemption from rule '${exemption.ruleId}' for ${exemption.entityRef} expired at ${exemption.expiresAt}; the rule applies again.`;
    return this.send(`exemption ${exemption.id} ${event}`, {
      recipients: {
        type: 'entity',
        entityRef: [
          ...new Set([owner ?? exemption.entityRef, exemption.requestedBy]),
        ],
      },
      payload: {
        title,
        description,
        link: scorecardTabLink(exemption.entityRef),
        severity: event === 'expiring' ? 'normal' : 'high',
        topic: SCORECARD_TOPIC,
        scope: exemptionScope(exemption),
      },
    });
  }

  /** Tells the owner that a service reached a lower level than before. */
  async levelDropped(drop: {
    entityRef: string;
    owner?: string;
    from: string;
    to?: string;
    failing: string[];
  }): Promise<boolean> {
    const name = nameOf(drop.entityRef);
    const from = this.titles.level(drop.from);
    const to = drop.to ? this.titles.level(drop.to) : 'no level';
    return this.send(`level drop of ${drop.entityRef}`, {
      // Without an owner the entity itself: the notifications backend resolves its owner.
      recipients: { type: 'entity', entityRef: drop.owner ?? drop.entityRef },
      payload: {
        title: `${name} dropped from ${from} to ${to}`,
        description: `${
          drop.entityRef
        } is now at ${to} (was ${from}). Failing: ${
          drop.failing.map(id => this.titles.rule(id)).join(', ') || 'none'
        }. Its Scorecard tab says how to fix each rule.`,
        link: scorecardTabLink(drop.entityRef),
        severity: 'high',
        topic: SCORECARD_TOPIC,
        scope: `scorecard:level:${drop.entityRef}`,
      },
    });
  }

  /** True when sent (or nothing to send with), false when the sending failed. */
  private async send(
    what: string,
    options: NotificationSendOptions,
  ): Promise<boolean> {
    if (!this.notifications) {
      return true;
    }
    try {
      await withTimeout(this.notifications.send(options));
      return true;
    } catch (error) {
      this.logger?.warn(
        `Could not send the notification of ${what}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return false;
    }
  }
}
