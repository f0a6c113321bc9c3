import { Button, Typography } from 'antd';
import { useState } from 'react';
import { formatCount } from '@/lib/format';

/** One class with its counts: the validator's `ClassCount` and the preview's `ClassTally` both fit. */
export interface ClassCounts {
  name: string;
  annotations: number;
  images: number;
}

const COLLAPSED = 15;

/**
 * Classes by annotation count, largest first, as a bar list; long tails fold away. The same
 * look for a dataset's validation report and a pipeline's preview.
 */
export function ClassHistogram({
  classes,
  unusedNote = (unused) => `${unused} without annotations`,
}: {
  classes: readonly ClassCounts[];
  /** How classes left without annotations are described after the total. */
  unusedNote?: (unused: number) => string;
}) {
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
      <div className="dm-hist" role="list" aria-label="Class histogram">
        {shown.map((c) => (
          <div key={c.name} role="listitem" style={{ display: 'contents' }}>
            <span className="dm-hist-name" title={c.name}>
              {c.name}
            </span>
            <div
              className="dm-hist-bar"
              data-zero={c.annotations === 0 ? 'true' : 'false'}
              style={{ width: `${(c.annotations / max) * 100}%` }}
              aria-hidden
            />
            <span className="dm-hist-count">
              {formatCount(c.annotations)} ann · {formatCount(c.images)} img
            </span>
          </div>
        ))}
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {classes.length} classes
        {unused > 0 ? `, ${unusedNote(unused)}` : ''}.{' '}
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
