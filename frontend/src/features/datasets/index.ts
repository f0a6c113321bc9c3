export { DatasetListPage } from './routes/DatasetListPage';
export { RegisterDatasetPage } from './routes/RegisterDatasetPage';
export { DatasetDetailPage } from './routes/DatasetDetailPage';
