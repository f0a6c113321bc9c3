export function PipelineWizardPage() {
  return <div>PipelineWizardPage</div>;
}
