/**
 * Portal insights backend: events, weekly figures per team, OpenMetrics.
 *
 * @packageDocumentation
 */

export { insightsPlugin as default } from './plugin';
