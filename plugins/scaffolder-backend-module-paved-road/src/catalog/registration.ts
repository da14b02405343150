import { setTimeout as sleep } from 'node:timers/promises';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import {
  ConflictError,
  InputError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** A location the catalog reads: `file` or `url`, and its target. */
export type CatalogLocationRef = { type: string; target: string };

const locationRef = (location: CatalogLocationRef) =>
  `${location.type}:${location.target}`;

/**
 * The location as the task log says it. The task page turns a `file:` URL into a link no
 * browser opens, so a local file is named by its path, a URL as it is.
 */
const shownLocation = (location: CatalogLocationRef) =>
  location.type === 'file' ? `the file ${location.target}` : location.target;

/** The catalog client reports a location registered before as a 409. */
function isConflict(error: unknown): boolean {
  return (
    error instanceof ConflictError ||
    (error as Error)?.name === 'ConflictError' ||
    (ResponseError.is(error) && error.statusCode === 409)
  );
}

/** Who else has the entity, for a message a developer can act on. */
function describeOther(entity: Entity): string {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  const from = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  return [
    from ? `registered from ${from}` : undefined,
    typeof owner === 'string' ? `owned by ${owner}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The error messages the catalog recorded on an entity while processing it. */
function processingErrors(entity: AlphaEntity | undefined): string[] {
  return (entity?.status?.items ?? [])
    .filter(item => item.level === 'error')
    .map(item => item.error?.message ?? item.message);
}

type RegistrationOptions = {
  catalog: CatalogService;
  /** The user's, to add the location as them. */
  userCredentials: BackstageCredentials;
  /** The scaffolder's own, to see every entity the name may clash with. */
  serviceCredentials: BackstageCredentials;
  logger: LoggerService;
  /** How long to wait for the catalog to read the entity, and how often to look. */
  timeoutMs: number;
  intervalMs: number;
};

/**
 * Registers a catalog file and makes sure the catalog ends up holding its entity from
 * that location, or fails saying why: the name belongs to an entity from elsewhere (the
 * catalog keeps the first and only logs the conflict), or processing failed, or nothing
 * arrived in time. On failure nothing stays registered: the location is removed again.
 *
 * Registering is idempotent without a checkpoint, on purpose: the catalog keys locations
 * by target (a second add answers 409, taken as done), and a retry after a failure, which
 * removed the location, must add it again.
 */
export class CatalogRegistration {
  static create(options: RegistrationOptions): CatalogRegistration {
    return new CatalogRegistration(options);
  }

  private constructor(private readonly options: RegistrationOptions) {}

  async register(
    entityRef: string,
    location: CatalogLocationRef,
  ): Promise<void> {
    const { catalog, logger } = this.options;
    const existing = await catalog.getEntityByRef(entityRef, {
      credentials: this.options.serviceCredentials,
    });
    if (existing) {
      if (
        existing.metadata.annotations?.[ANNOTATION_LOCATION] !==
        locationRef(location)
      ) {
        throw this.taken(entityRef, existing, location);
      }
      // a recovered or retried task: the catalog has it from here already
      logger.info(`${entityRef} is registered from ${shownLocation(location)}`);
      return;
    }
    await catalog
      .addLocation(location, { credentials: this.options.userCredentials })
      .catch(error => {
        // registered before, the entity not read yet: the location is what we want
        if (!isConflict(error)) {
          throw error;
        }
      });
    try {
      await this.verify(entityRef, location);
    } catch (error) {
      await this.unregister(location);
      throw error;
    }
    logger.info(`Registered ${entityRef} from ${shownLocation(location)}`);
  }

  private async verify(entityRef: string, location: CatalogLocationRef) {
    const { catalog, serviceCredentials: credentials } = this.options;
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const entity = await catalog
        .getEntityByRef(entityRef, { credentials })
        .catch(() => undefined);
      const from = entity?.metadata.annotations?.[ANNOTATION_LOCATION];
      if (entity && from === locationRef(location)) {
        return;
      }
      if (entity) {
        // somebody registered the name meanwhile: the catalog keeps theirs
        throw this.taken(entityRef, entity, location);
      }
      if (Date.now() >= deadline) {
        throw await this.notRead(entityRef, location);
      }
      await sleep(this.options.intervalMs);
    }
  }

  private taken(
    entityRef: string,
    other: Entity,
    location: CatalogLocationRef,
  ): ConflictError {
    const who = describeOther(other);
    return new ConflictError(
      `${entityRef} is already in the catalog${
        who ? ` (${who})` : ''
      }: choose another name. Nothing stays registered from ${locationRef(
        location,
      )}`,
    );
  }

  private async notRead(
    entityRef: string,
    location: CatalogLocationRef,
  ): Promise<Error> {
    const { catalog, serviceCredentials: credentials } = this.options;
    const registered = await catalog
      .getLocationByRef(locationRef(location), { credentials })
      .catch(() => undefined);
    const locationEntity = registered
      ? await catalog
          .getEntityByRef(registered.entityRef, { credentials })
          .catch(() => undefined)
      : undefined;
    const errors = processingErrors(locationEntity);
    const seconds = Math.round(this.options.timeoutMs / 1000);
    return errors.length > 0
      ? new InputError(
          `The catalog could not read ${entityRef} from ${locationRef(
            location,
          )}: ${errors.join('; ')}`,
        )
      : new ServiceUnavailableError(
          `The catalog did not show ${entityRef} from ${locationRef(
            location,
          )} within ${seconds} s; nothing stays registered, retry the task`,
        );
  }

  private async unregister(location: CatalogLocationRef) {
    const { catalog, serviceCredentials: credentials, logger } = this.options;
    try {
      const registered = await catalog.getLocationByRef(locationRef(location), {
        credentials,
      });
      if (registered) {
        await catalog.removeLocationById(registered.id, { credentials });
      }
    } catch (error) {
      logger.warn(
        `Could not remove the location ${locationRef(location)}: ${error}`,
      );
    }
  }
}
