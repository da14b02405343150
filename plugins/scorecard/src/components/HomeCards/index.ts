export { TeamServicesContent } from './TeamServicesContent';
export { ExemptionsContent } from './ExemptionsContent';
