import { Skeleton } from 'antd';

/** The placeholder of a table while its first page loads (same size as a page of rows). */
export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div className="dm-skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton.Input key={i} active block size="small" style={{ marginBottom: 12 }} />
      ))}
    </div>
  );
}

/** The placeholder of a page or card while its data loads. */
export function PageSkeleton() {
  return (
    <div className="dm-skeleton" aria-busy="true" aria-label="Loading">
      <Skeleton active title paragraph={{ rows: 6 }} />
    </div>
  );
}
