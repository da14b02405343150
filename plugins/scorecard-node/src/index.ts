/**
 * Node library of the scorecard: the extension point through which backend modules add
 * rule kinds, and a typed client of the scorecard API for other backend plugins.
 *
 * @packageDocumentation
 */

export * from './ruleKinds';
export * from './extensions';
export * from './client/ScorecardClient';
