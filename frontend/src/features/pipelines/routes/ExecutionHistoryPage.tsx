export function ExecutionHistoryPage() {
  return <div>ExecutionHistoryPage</div>;
}
