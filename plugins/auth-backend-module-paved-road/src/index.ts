export { authModuleOktaProvider as default } from './module';
export { emailMatchingCatalogUserInAllowedDomains } from './resolvers';
