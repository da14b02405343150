export { selfServiceModule, selfServiceEntityCard } from './selfServiceModule';
