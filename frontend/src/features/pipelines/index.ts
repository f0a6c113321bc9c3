export { ExecutionHistoryPage } from './routes/ExecutionHistoryPage';
export { ExecutionPage } from './routes/ExecutionPage';
export { PipelineWizardPage } from './routes/PipelineWizardPage';
