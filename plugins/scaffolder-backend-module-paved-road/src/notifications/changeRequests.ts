import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { PORTAL_TOPIC, sendNotification } from './send';

/** A change the portal proposed to a service's repository. */
export interface ProposedChange {
  /** What kind of change: `infra` (portal:infra:request) or `upgrade` (a golden path upgrade). */
  kind: 'infra' | 'upgrade';
  /** The service, e.g. component:default/payments-api. */
  entityRef: string;
  /** Who is told: the service's owner, e.g. group:default/payments-team. */
  owner: string;
  /** The pull request's (or branch's) title. */
  title: string;
  /** Where to review it: the pull request, or the branch in the portal. */
  url: string;
  /** Who asked for it, when known. */
  requestedBy?: string;
}

const HEADINGS: Record<ProposedChange['kind'], string> = {
  infra: 'Infra pull request',
  upgrade: 'Upgrade pull request',
};

/** The entity's owner (`ownedBy`, else `spec.owner`), e.g. group:default/payments-team. */
export function ownerRefOf(entity: Entity): string | undefined {
  const related = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  if (related) {
    return related;
  }
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** The service's page in the portal, for changes whose URL a browser cannot open. */
function entityPage(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind,
  )}/${encodeURIComponent(name)}`;
}

/**
 * Tells a service's owning team that a pull request was opened for it. Every action that
 * proposes a change to a service's repository (infra requests today, upgrades next) goes
 * through `opened`; one notification per pull request, updated when it is proposed again.
 */
export class ChangeRequestNotifier {
  private constructor(
    private readonly deps: {
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  static create(deps: {
    notifications: NotificationService;
    logger: LoggerService;
  }): ChangeRequestNotifier {
    return new ChangeRequestNotifier(deps);
  }

  /** True when the owner was told; false (logged) when the notifications backend failed. */
  async opened(change: ProposedChange): Promise<boolean> {
    const heading = HEADINGS[change.kind];
    const service = parseEntityRef(change.entityRef).name;
    const by = change.requestedBy
      ? `, requested by ${parseEntityRef(change.requestedBy).name}`
      : '';
    return sendNotification(
      this.deps,
      `the ${change.kind} pull request ${change.url}`,
      {
        recipients: { type: 'entity', entityRef: change.owner },
        payload: {
          title: `${heading} for ${service}`,
          description: `${change.title}${by}. Review and merge it to apply the change.`,
          // file:// (a local repository) is no link a browser opens: the service instead
          link: /^https?:\/\//.test(change.url)
            ? change.url
            : entityPage(change.entityRef),
          severity: 'normal',
          topic: PORTAL_TOPIC,
          scope: `paved-road:change:${change.url}`,
        },
      },
    );
  }
}
