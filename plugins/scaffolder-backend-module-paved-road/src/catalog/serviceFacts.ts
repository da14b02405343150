import {
  Entity,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { DNS1123_LABEL, entityKey } from '@internal/paved-road-common';
import { fieldError } from '../input';

const SLUG_ANNOTATION = 'github.com/project-slug';
const COST_CENTER_ANNOTATION = 'cost-center';
/** An AWS tag value, as the modules' `validation` blocks check owner and cost_center. */
const TAG_VALUE = /^[\p{L}\p{N}_.:/=+@ -]{1,256}$/u;
/** GitHub owners and repositories in general. */
const GITHUB_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** What an infra request needs to know about the service, from its catalog entity. */
export type ServiceFacts = {
  entityRef: string;
  service: string;
  owner: string;
  costCenter: string;
  repoOwner: string;
  repoName: string;
};

const entityError = (message: string) => fieldError('entityRef', message);

/** Reads name, owner, cost center and repository from the entity, or says what is missing. */
export function serviceFacts(entity: Entity): ServiceFacts {
  const entityRef = stringifyEntityRef(entity);
  const service = entity.metadata.name;
  if (!DNS1123_LABEL.test(service)) {
    throw entityError(
      `${entityRef} has a name the Terraform modules refuse: it must be a DNS-1123 label`,
    );
  }
  const ownerRef =
    entity.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef ??
    (typeof entity.spec?.owner === 'string'
      ? entityKey(entity.spec.owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        })
      : undefined);
  if (!ownerRef || !TAG_VALUE.test(ownerRef)) {
    throw entityError(`${entityRef} has no owner to tag the infra with`);
  }
  const annotations = entity.metadata.annotations ?? {};
  const costCenter = annotations[COST_CENTER_ANNOTATION];
  if (!costCenter || !TAG_VALUE.test(costCenter)) {
    throw entityError(
      `${entityRef} needs a '${COST_CENTER_ANNOTATION}' annotation (letters, digits, spaces and _ . : / = + - @): the infra is tagged with its cost center`,
    );
  }
  const slug = annotations[SLUG_ANNOTATION] ?? '';
  const [repoOwner, repoName, ...rest] = slug.split('/');
  if (
    rest.length > 0 ||
    !GITHUB_NAME.test(repoOwner ?? '') ||
    !GITHUB_NAME.test(repoName ?? '') ||
    repoOwner.startsWith('.') ||
    repoName.startsWith('.')
  ) {
    throw entityError(
      `${entityRef} needs a '${SLUG_ANNOTATION}' annotation (owner/repository): the request is a pull request to its repository`,
    );
  }
  return {
    entityRef,
    service,
    owner: ownerRef,
    costCenter,
    repoOwner,
    repoName,
  };
}
