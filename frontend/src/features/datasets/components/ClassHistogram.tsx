import { Button, Typography } from 'antd';
import { useState } from 'react';
import type { Schemas } from '@/api/client';
import { formatCount } from '@/lib/format';
import './datasets.css';

const COLLAPSED = 15;

/** Classes by annotation count, largest first, as a bar list; long tails fold away. */
export function ClassHistogram({ classes }: { classes: Schemas['ClassCount'][] }) {
  const [expanded, setExpanded] = useState(false);
  if (classes.length === 0) {
    return <Typography.Text type="secondary">No classes defined.</Typography.Text>;
  }
  const sorted = [...classes].sort(
    (a, b) => b.annotations - a.annotations || b.images - a.images || a.name.localeCompare(b.name),
  );
  const max = Math.max(1, ...sorted.map((c) => c.annotations));
  const shown = expanded ? sorted : sorted.slice(0, COLLAPSED);
  const unused = sorted.filter((c) => c.annotations === 0).length;
  return (
    <div>
      <div className="dm-ds-hist" role="list" aria-label="Class histogram">
        {shown.map((c) => (
          <div key={c.id} role="listitem" style={{ display: 'contents' }}>
            <span className="dm-ds-hist-name" title={`${c.name} (id ${c.id})`}>
              {c.name}
            </span>
            <div
              className="dm-ds-hist-bar"
              data-zero={c.annotations === 0 ? 'true' : 'false'}
              style={{ width: `${(c.annotations / max) * 100}%` }}
              aria-hidden
            />
            <span className="dm-ds-hist-count">
              {formatCount(c.annotations)} ann · {formatCount(c.images)} img
            </span>
          </div>
        ))}
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {classes.length} classes
        {unused > 0 ? `, ${unused} without annotations` : ''}.{' '}
        {sorted.length > COLLAPSED ? (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => setExpanded(!expanded)}
          >
            {expanded ? 'Show fewer classes' : `Show all ${sorted.length} classes`}
          </Button>
        ) : null}
      </Typography.Paragraph>
    </div>
  );
}
