import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';

/** How a stored reference reads: `payments-api`, or `other/payments-api` off default. */
export function entityName(
  entityRef: string,
  defaultKind = 'component',
): string {
  try {
    return humanizeEntityRef(parseEntityRef(entityRef), { defaultKind });
  } catch {
    return entityRef;
  }
}

/**
 * The path of an entity's page, or of one of its tabs; undefined without the catalog
 * (or for a reference that does not parse).
 */
export function useEntityPath(): (
  entityRef: string,
  tab?: string,
) => string | undefined {
  const entityRoute = useRouteRef(entityRouteRef);
  return (entityRef, tab) => {
    if (!entityRoute) {
      return undefined;
    }
    try {
      const { kind, namespace, name } = parseEntityRef(entityRef);
      const path = entityRoute({ kind, namespace, name }).replace(/\/$/, '');
      return tab ? `${path}/${tab}` : path;
    } catch {
      return undefined;
    }
  };
}

/** The signed-in user's ownership references, as the scorecard stores them. */
export function ownersOf(ownershipEntityRefs: string[]): string[] {
  // The backend takes at most 20; a person belongs to a few teams.
  return [
    ...new Set(ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US'))),
  ].slice(0, 20);
}
