export { HeadlineFigures } from './HeadlineFigures';
