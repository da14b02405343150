export { portalModule } from './portalModule';
