export { repositoriesModule, repositoriesPage } from './repositoriesModule';
