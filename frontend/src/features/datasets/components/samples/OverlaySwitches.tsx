import { Checkbox, Space } from 'antd';
import type { OverlayKind, Overlays } from './overlays';

const KINDS: { kind: OverlayKind; label: string }[] = [
  { kind: 'boxes', label: 'Boxes' },
  { kind: 'polygons', label: 'Polygons' },
  { kind: 'masks', label: 'Masks' },
  { kind: 'labels', label: 'Labels' },
];

/**
 * One switch per kind of overlay. The grid's toolbar and the viewer show the same switches over
 * the same state, so what is hidden stays hidden from one image to the next.
 */
export function OverlaySwitches({
  overlays,
  onChange,
  counts,
}: {
  overlays: Overlays;
  onChange: (next: Overlays) => void;
  /** How many annotations of the open image each switch concerns (the viewer shows them). */
  counts?: Record<OverlayKind, number>;
}) {
  return (
    <Space size={4} wrap role="group" aria-label="Overlays">
      {KINDS.map(({ kind, label }) => (
        <Checkbox
          key={kind}
          checked={overlays[kind]}
          onChange={(event) => onChange({ ...overlays, [kind]: event.target.checked })}
          data-testid={`overlay-switch-${kind}`}
        >
          {label}
          {counts ? <span className="dm-muted"> {counts[kind]}</span> : null}
        </Checkbox>
      ))}
    </Space>
  );
}
