export function ExecutionPage() {
  return <div>ExecutionPage</div>;
}
