/**
 * Scorecards backend: guardrail rules, levels, exemptions and a deploy gate.
 *
 * @packageDocumentation
 */

export { scorecardPlugin as default } from './plugin';
export * from './rules';
