/**
 * Insights in the portal: how the paved road is used, week by week, per team.
 *
 * @packageDocumentation
 */

export { insightsPlugin as default } from './plugin';
export {
  InsightsClient,
  insightsApiRef,
  type FiguresQuery,
  type InsightsApi,
} from './api';
export { HeadlineFigures as HomeHeadlineFigures } from './components/HeadlineFigures';
