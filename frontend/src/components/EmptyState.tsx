import { Empty } from 'antd';
import type { ReactNode } from 'react';

/**
 * What a list shows when it has nothing: what is missing and what to do next (`action`, usually a
 * button or link). The same look on every page.
 */
export function EmptyState({
  title,
  hint,
  action,
}: {
  title: string;
  hint?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Empty
      className="dm-empty"
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <div>
          <div className="dm-empty-title">{title}</div>
          {hint ? <div className="dm-muted">{hint}</div> : null}
        </div>
      }
    >
      {action}
    </Empty>
  );
}
