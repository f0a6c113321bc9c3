export function ManipulatorsPage() {
  return <div>ManipulatorsPage</div>;
}
