export { EntityScorecardCard } from './EntityScorecardCard';
