import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { KubernetesClusters } from '../clients/kubernetesClusters';
import { serviceFacts } from '../catalog/serviceFacts';
import { RepositoryHost } from '../publish/RepositoryHost';
import { INFRA_KINDS, InfraKind } from '../terraform/infraRequest';
import { MODULES_KEY, TerraformModule } from '../terraform/modules';

/** The self-service actions of a service: an infra request per kind, and rotation. */
export const SELF_SERVICE_ACTIONS = [
  ...INFRA_KINDS,
  'secret-rotation',
] as const;
export type SelfServiceAction = (typeof SELF_SERVICE_ACTIONS)[number];

/** Whether an action works for a service here; if not, one sentence a developer acts on. */
export type Capability =
  | { available: true }
  | { available: false; reason: string };

export type SelfServiceCapabilities = Record<SelfServiceAction, Capability>;

const KUBERNETES_ID = 'backstage.io/kubernetes-id';

const KIND_NOUNS: Record<InfraKind, string> = {
  database: 'Requesting a database',
  queue: 'Requesting a queue',
  bucket: 'Requesting a bucket',
};

const available: Capability = { available: true };

/** Whom developers ask when nothing else is configured. */
export const DEFAULT_CONTACT = 'the platform team';

/** The developer's sentence for something this portal does not do at all. */
export function notSetUpSentence(what: string, contact: string): string {
  return `${what} is not set up on this portal: ask ${contact}.`;
}

/** The developer's sentence for a service whose repository the portal cannot reach. */
export function noRepositorySentence(service: string, contact: string): string {
  return `${service} has no repository on this portal (it was not created by a golden path here), so there is nowhere to open the request: ask ${contact}.`;
}

/**
 * What this installation can do for a service through the self-service templates: Vault
 * and Kubernetes clusters configured for secret rotation, a Terraform module per infra
 * kind, and a repository the request can go to (the local repository a golden path
 * created, or a GitHub slug). Unavailable actions carry a sentence for the developer;
 * what an administrator would change is logged once, at startup.
 */
export class SelfServiceAvailability {
  private constructor(
    private readonly options: {
      host: RepositoryHost;
      modules: ReadonlyMap<string, TerraformModule>;
      vaultConfigured: boolean;
      clusters: KubernetesClusters;
      contact: string;
    },
  ) {}

  static create(options: {
    host: RepositoryHost;
    modules: ReadonlyMap<string, TerraformModule>;
    vaultConfigured: boolean;
    clusters: KubernetesClusters;
    /** Whom developers ask, such as `#platform` (`pavedRoad.selfService.contact`). */
    contact: string;
    logger: LoggerService;
  }): SelfServiceAvailability {
    const { logger } = options;
    for (const problem of SelfServiceAvailability.setupProblems(options)) {
      logger.warn(`Self-service: ${problem}`);
    }
    return new SelfServiceAvailability(options);
  }

  /** What an administrator would configure, for the log. */
  private static setupProblems(options: {
    modules: ReadonlyMap<string, TerraformModule>;
    vaultConfigured: boolean;
    clusters: KubernetesClusters;
  }): string[] {
    const problems: string[] = [];
    if (!options.vaultConfigured) {
      problems.push(
        'secret rotation is off: set pavedRoad.vault.address and a token or Kubernetes auth',
      );
    }
    if (options.clusters.clusters.length === 0) {
      problems.push(
        'secret rotation is off: no Kubernetes cluster with a service account token in kubernetes.clusterLocatorMethods[].clusters',
      );
    }
    for (const kind of INFRA_KINDS) {
      if (!options.modules.has(kind)) {
        problems.push(
          `${kind} requests are off: no module '${kind}' in ${MODULES_KEY}`,
        );
      }
    }
    return problems;
  }

  /** The developer's sentence for something this portal does not do at all. */
  notSetUp(what: string): string {
    return notSetUpSentence(what, this.options.contact);
  }

  /** Secret rotation on this portal, whatever the service. */
  get secretRotation(): Capability {
    const { vaultConfigured, clusters } = this.options;
    if (!vaultConfigured || clusters.clusters.length === 0) {
      return { available: false, reason: this.notSetUp('Secret rotation') };
    }
    return available;
  }

  /** An infra request of this kind on this portal, whatever the service. */
  infraRequest(kind: InfraKind): Capability {
    return this.options.modules.has(kind)
      ? available
      : { available: false, reason: this.notSetUp(KIND_NOUNS[kind]) };
  }

  /**
   * Whether an infra request for this service has a repository to go to, or the sentence
   * saying why not. A local repository must exist; GitHub is not asked (a slug is enough).
   */
  async repository(entity: Entity): Promise<Capability> {
    const { host, contact } = this.options;
    const name = entity.metadata.name;
    let facts;
    try {
      facts = serviceFacts(entity);
    } catch (error) {
      if (error instanceof InputError) {
        // "Invalid input: field 'entityRef': <what the entity lacks>"
        const detail = error.message.replace(/^.*?'entityRef': /, '');
        return { available: false, reason: `${detail}.` };
      }
      throw error;
    }
    if (!host.freeReads) {
      return available;
    }
    try {
      await host.view({
        host: 'github.com',
        owner: facts.repoOwner,
        name: facts.repoName,
      });
    } catch (error) {
      if (error instanceof NotFoundError) {
        return {
          available: false,
          reason: noRepositorySentence(name, contact),
        };
      }
      throw error;
    }
    return available;
  }

  /** Every self-service action, for one service. */
  async forEntity(entity: Entity): Promise<SelfServiceCapabilities> {
    const repository = await this.repository(entity);
    const infra = (kind: InfraKind): Capability => {
      const setUp = this.infraRequest(kind);
      return setUp.available ? repository : setUp;
    };
    let rotation = this.secretRotation;
    if (rotation.available && !entity.metadata.annotations?.[KUBERNETES_ID]) {
      rotation = {
        available: false,
        reason: `Secret rotation restarts the service's pods, and ${stringifyEntityRef(
          entity,
        )} has no '${KUBERNETES_ID}' annotation to find them by.`,
      };
    }
    return {
      database: infra('database'),
      queue: infra('queue'),
      bucket: infra('bucket'),
      'secret-rotation': rotation,
    };
  }
}
