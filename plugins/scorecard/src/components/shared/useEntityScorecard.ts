import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import {
  RuleResultView,
  RulesResponse,
  EntityScorecardResponse,
} from '@internal/plugin-scorecard-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { scorecardApiRef } from '../../api';

export interface EntityScorecardState {
  /** Absent when the entity has not been evaluated yet. */
  scorecard?: EntityScorecardResponse;
  rules: RulesResponse;
}

/**
 * The scorecard of the entity on the page, with the rules and levels in force; the daily
 * history only when asked for (the tab shows it, the card does not).
 */
export function useEntityScorecard(options: { history?: boolean } = {}) {
  const history = Boolean(options.history);
  const { entity } = useEntity();
  const scorecardApi = useApi(scorecardApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const state = useAsyncRetry(async (): Promise<EntityScorecardState> => {
    const [scorecard, rules] = await Promise.all([
      scorecardApi.getEntityScorecard({ kind, namespace, name }, { history }),
      scorecardApi.getRules(),
    ]);
    return { scorecard, rules };
  }, [scorecardApi, kind, namespace, name, history]);
  return { ...state, entityRef: stringifyEntityRef(entity) };
}

/** The link to the scorecard tab of the entity on the page, when the catalog is there. */
export function useScorecardTabLink(): string | undefined {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  if (!entityRoute) {
    return undefined;
  }
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const entityPath = entityRoute({
    kind: kind.toLocaleLowerCase('en-US'),
    namespace,
    name,
  });
  return `${entityPath.replace(/\/$/, '')}/scorecard`;
}

/**
 * What a rule found, without the advice: the backend ends the message of a failing rule
 * with "How to fix: …", which the UI shows on its own line.
 */
export function findingOf(result: RuleResultView): string {
  const { message, howToFix } = result;
  if (!howToFix) {
    return message;
  }
  for (const suffix of [`How to fix: ${howToFix}`, howToFix]) {
    if (message.endsWith(suffix) && message !== suffix) {
      return message.slice(0, message.length - suffix.length).trim();
    }
  }
  return message;
}
