export { tablesModule, tableTextWrapper } from './tablesModule';
