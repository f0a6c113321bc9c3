export { ManipulatorsPage } from './routes/ManipulatorsPage';
export { SystemStatusPage } from './routes/SystemStatusPage';
