export { default } from './rootConfigServiceFactory';
