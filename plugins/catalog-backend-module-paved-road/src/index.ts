export { catalogModulePavedRoad as default } from './module';
