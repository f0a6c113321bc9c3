export function RegisterDatasetPage() {
  return <div>RegisterDatasetPage</div>;
}
