export function SystemStatusPage() {
  return <div>SystemStatusPage</div>;
}
