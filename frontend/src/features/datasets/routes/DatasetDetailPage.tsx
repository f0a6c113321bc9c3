export function DatasetDetailPage() {
  return <div>DatasetDetailPage</div>;
}
