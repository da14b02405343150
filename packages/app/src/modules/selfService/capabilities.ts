import {
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';

/** The self-service actions the scaffolder module answers for (its `SELF_SERVICE_ACTIONS`). */
export type SelfServiceAction =
  | 'database'
  | 'queue'
  | 'bucket'
  | 'secret-rotation';

/** Whether an action works for a service here; if not, the sentence to show. */
export type Capability =
  | { available: true }
  | { available: false; reason: string };

export type SelfServiceCapabilities = Partial<
  Record<SelfServiceAction, Capability>
>;

/**
 * Asks the scaffolder module which self-service actions work for a service
 * (`GET /api/scaffolder/paved-road/self-service/capabilities`).
 */
export async function fetchSelfServiceCapabilities(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  entityRef: string,
): Promise<SelfServiceCapabilities> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('scaffolder');
  const response = await apis.fetchApi.fetch(
    `${baseUrl}/paved-road/self-service/capabilities?entityRef=${encodeURIComponent(
      entityRef,
    )}`,
  );
  if (!response.ok) {
    throw new Error(
      `The self-service capabilities of ${entityRef} answered ${response.status}`,
    );
  }
  const body = (await response.json()) as {
    actions?: SelfServiceCapabilities;
  };
  return body.actions ?? {};
}

/** The capabilities of a service; undefined while loading, or when they could not be read. */
export function useSelfServiceCapabilities(entityRef: string | undefined): {
  loading: boolean;
  capabilities?: SelfServiceCapabilities;
} {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [state, setState] = useState<{
    entityRef?: string;
    capabilities?: SelfServiceCapabilities;
  }>({});
  useEffect(() => {
    if (!entityRef) {
      return undefined;
    }
    let current = true;
    fetchSelfServiceCapabilities({ discoveryApi, fetchApi }, entityRef)
      // unknown: the templates and actions check again, so offer what is there
      .catch(() => undefined)
      .then(capabilities => {
        if (current) {
          setState({ entityRef, capabilities });
        }
      });
    return () => {
      current = false;
    };
  }, [discoveryApi, fetchApi, entityRef]);
  const loaded = entityRef !== undefined && state.entityRef === entityRef;
  return {
    loading: entityRef !== undefined && !loaded,
    capabilities: loaded ? state.capabilities : undefined,
  };
}
