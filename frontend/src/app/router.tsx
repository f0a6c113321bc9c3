import { createBrowserRouter, Navigate } from 'react-router-dom';
import { DatasetDetailPage, DatasetListPage, RegisterDatasetPage } from '@/features/datasets';
import { ExecutionHistoryPage, ExecutionPage, PipelineWizardPage } from '@/features/pipelines';
import { ManipulatorsPage, SystemStatusPage } from '@/features/settings';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

export const routes = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/datasets" replace /> },
      { path: 'datasets', element: <DatasetListPage /> },
      { path: 'datasets/new', element: <RegisterDatasetPage /> },
      { path: 'datasets/:groupId', element: <DatasetDetailPage /> },
      { path: 'pipelines', element: <ExecutionHistoryPage /> },
      { path: 'pipelines/new', element: <PipelineWizardPage /> },
      { path: 'pipelines/:id', element: <ExecutionPage /> },
      { path: 'settings', element: <Navigate to="/settings/manipulators" replace /> },
      { path: 'settings/manipulators', element: <ManipulatorsPage /> },
      { path: 'settings/system', element: <SystemStatusPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
