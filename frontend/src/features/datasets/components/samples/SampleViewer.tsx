import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Modal, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { problemText } from '@/api/problem';
import { formatCount } from '@/lib/format';
import { type Sample, type SampleAnnotation, previewUrl } from '../../api/samples';
import { OverlaySwitches } from './OverlaySwitches';
import { SampleFigure } from './SampleFigure';
import { classColour } from './colours';
import { type Overlays, annotationTitle, decodeMasks, overlayCounts } from './overlays';
import { RleError } from './rle';

/** The viewer's preview size: sharp on a large screen, one of the server's cached sizes. */
export const LARGE_PREVIEW = 1600;
/** The grid's preview size, already in the browser's cache when the viewer opens. */
export const THUMB_PREVIEW = 320;

type AttributeValue = boolean | number | string | null;

function attributeText(value: AttributeValue | undefined): string {
  if (value === null || value === undefined) return 'not labelled';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function Attributes({
  attributes,
  testId,
}: {
  attributes: Record<string, AttributeValue>;
  testId: string;
}) {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return null;
  return (
    <dl className="dm-sample-attributes" data-testid={testId}>
      {entries.map(([name, value]) => (
        <div key={name} data-attribute={name}>
          <dt>{name}</dt>
          <dd>{attributeText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

const TYPE_NAMES: Record<SampleAnnotation['annotation_type'], string> = {
  BBOX: 'box',
  SEGMENTATION: 'segmentation',
  LABEL: 'label',
  ATTRIBUTE: 'attributes',
};

function AnnotationRow({
  annotation,
  maskError,
  picked,
  onPick,
}: {
  annotation: SampleAnnotation;
  maskError: RleError | undefined;
  picked: boolean;
  onPick: () => void;
}) {
  const colour = classColour(annotation.category_id);
  const geometry = [
    annotation.bbox ? 'box' : null,
    annotation.polygons && annotation.polygons.length > 0
      ? `${annotation.polygons.length} polygon${annotation.polygons.length === 1 ? '' : 's'}`
      : null,
    annotation.mask ? 'mask' : null,
  ].filter(Boolean);
  return (
    // A click (not a hover) picks a row: the viewer opens under a pointer that may rest on the
    // panel, and hover would then dim the picture before anyone asked.
    <li
      className="dm-sample-annotation"
      data-testid="sample-annotation"
      data-annotation-id={annotation.id ?? ''}
      role="button"
      tabIndex={0}
      aria-pressed={picked}
      onClick={onPick}
      onKeyDown={(event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onPick();
        }
      }}
    >
      <Flex gap={6} align="center" wrap>
        <span className="dm-sample-swatch" style={{ background: colour.css }} aria-hidden />
        <Typography.Text strong>{annotationTitle(annotation)}</Typography.Text>
        <Tag bordered={false}>{TYPE_NAMES[annotation.annotation_type]}</Tag>
        {annotation.iscrowd ? <Tag color="gold">crowd</Tag> : null}
        {annotation.label && annotation.category ? (
          <span className="dm-muted">“{annotation.label}”</span>
        ) : null}
      </Flex>
      <div className="dm-muted dm-sample-annotation-facts">
        {geometry.length > 0 ? `${geometry.join(' · ')} · ` : ''}
        area {formatCount(Math.round(annotation.area))}
        {annotation.id !== null && annotation.id !== undefined ? ` · id ${annotation.id}` : ''}
      </div>
      {maskError ? (
        <Typography.Text type="danger">
          The mask cannot be drawn: {maskError.message}.
        </Typography.Text>
      ) : null}
      <Attributes attributes={annotation.attributes} testId="sample-annotation-attributes" />
    </li>
  );
}

/** One sample, large, with its side panel. Remounted per image, so load state starts afresh. */
function SampleDetail({
  sample,
  overlays,
  onOverlays,
}: {
  sample: Sample;
  overlays: Overlays;
  onOverlays: (next: Overlays) => void;
}) {
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const [highlight, setHighlight] = useState<number | null>(null);
  const masks = useMemo(() => decodeMasks(sample.annotations), [sample.annotations]);
  const counts = useMemo(() => overlayCounts(sample.annotations), [sample.annotations]);
  const labels = sample.annotations.filter((a) => a.annotation_type === 'LABEL');
  const shapes = sample.annotations
    .map((annotation, index) => ({ annotation, index }))
    .filter(({ annotation }) => annotation.annotation_type !== 'LABEL');

  return (
    <div className="dm-sample-viewer">
      <div className="dm-sample-stage">
        <OverlaySwitches overlays={overlays} onChange={onOverlays} counts={counts} />
        <div className="dm-sample-figure-box" aria-busy={loaded ? 'false' : 'true'}>
          <SampleFigure
            sample={sample}
            imageHref={previewUrl(sample.url, LARGE_PREVIEW)}
            placeholderHref={previewUrl(sample.url, THUMB_PREVIEW)}
            overlays={overlays}
            masks={masks}
            highlight={highlight}
            detailed
            onImageLoad={() => setLoaded(true)}
            onImageError={() => setFailed(true)}
          />
          {!loaded && !failed ? <Spin className="dm-sample-figure-spin" /> : null}
        </div>
        {failed ? (
          <Alert
            type="error"
            showIcon
            message="The image could not be loaded"
            description="Its file may be missing or unreadable on the NAS; the annotations are drawn without it."
          />
        ) : null}
      </div>
      <aside className="dm-sample-panel" aria-label="Annotations and attributes">
        <Typography.Text type="secondary">
          image {sample.image_id} · {sample.width}×{sample.height}
        </Typography.Text>
        {Object.keys(sample.attributes).length > 0 ? (
          <section aria-label="Image attributes">
            <Typography.Title level={5}>Image attributes</Typography.Title>
            <Attributes attributes={sample.attributes} testId="sample-image-attributes" />
          </section>
        ) : null}
        {labels.length > 0 ? (
          <section aria-label="Image labels">
            <Typography.Title level={5}>Image labels</Typography.Title>
            <Space size={[4, 4]} wrap>
              {labels.map((label, index) => (
                <Tag key={index} color={classColour(label.category_id).css}>
                  {annotationTitle(label)}
                </Tag>
              ))}
            </Space>
          </section>
        ) : null}
        <section aria-label="Annotations">
          <Typography.Title level={5}>
            Annotations <Tag bordered={false}>{shapes.length}</Tag>
          </Typography.Title>
          {shapes.length === 0 ? (
            <Typography.Text type="secondary">This image has no annotations.</Typography.Text>
          ) : (
            <ul className="dm-sample-annotations">
              {shapes.map(({ annotation, index }) => {
                const mask = masks.get(index);
                return (
                  <AnnotationRow
                    key={index}
                    annotation={annotation}
                    maskError={mask instanceof RleError ? mask : undefined}
                    picked={highlight === index}
                    onPick={() => setHighlight((current) => (current === index ? null : index))}
                  />
                );
              })}
            </ul>
          )}
        </section>
      </aside>
    </div>
  );
}

/** Keys that belong to the focused control rather than to the viewer. */
function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  return (
    target.tagName === 'INPUT' && !['checkbox', 'radio'].includes((target as HTMLInputElement).type)
  );
}

/**
 * The large view of one sample: the image at up to 1600 px with every overlay, the annotations
 * and attributes beside it; ←/→ step through the samples (across pages), Esc closes.
 */
export function SampleViewer({
  open,
  sample,
  next,
  error,
  position,
  overlays,
  onOverlays,
  onPrevious,
  onNext,
  onClose,
}: {
  open: boolean;
  /** Undefined while the page it is on loads. */
  sample: Sample | undefined;
  /** The sample → leads to, when known: its preview is fetched ahead. */
  next: Sample | undefined;
  error: unknown;
  position: string;
  overlays: Overlays;
  onOverlays: (next: Overlays) => void;
  onPrevious: (() => void) | undefined;
  onNext: (() => void) | undefined;
  onClose: () => void;
}) {
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || typingInto(event.target)) return;
      if (event.key === 'ArrowLeft' && onPrevious) {
        event.preventDefault();
        onPrevious();
      } else if (event.key === 'ArrowRight' && onNext) {
        event.preventDefault();
        onNext();
      } else if (event.key === 'Escape') {
        // The modal closes on Esc only while focus is inside it; a click on the picture can move
        // focus out, so the viewer listens on the window as well.
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onPrevious, onNext, onClose]);

  // Fetch the next large preview while this one is looked at, so → shows it at once.
  useEffect(() => {
    if (!open || !next) return;
    const image = new Image();
    image.src = previewUrl(next.url, LARGE_PREVIEW);
  }, [open, next]);

  return (
    <Modal
      open={open}
      onCancel={onClose}
      footer={null}
      width="min(1500px, 96vw)"
      style={{ top: 24 }}
      destroyOnHidden
      title={
        <Flex gap={8} align="center" wrap>
          <Tooltip title="Previous image (←)">
            <Button
              size="small"
              icon={<LeftOutlined aria-hidden />}
              aria-label="Previous image"
              disabled={!onPrevious}
              onClick={onPrevious}
            />
          </Tooltip>
          <Tooltip title="Next image (→)">
            <Button
              size="small"
              icon={<RightOutlined aria-hidden />}
              aria-label="Next image"
              disabled={!onNext}
              onClick={onNext}
            />
          </Tooltip>
          <Typography.Text strong ellipsis style={{ maxWidth: '50vw' }}>
            {sample?.file_name ?? 'Loading…'}
          </Typography.Text>
          <span className="dm-muted" data-testid="sample-position">
            {position}
          </span>
        </Flex>
      }
      className="dm-sample-modal"
    >
      <div data-testid="sample-viewer-body">
        {sample ? (
          <SampleDetail
            key={`${sample.image_id}-${sample.file_name}`}
            sample={sample}
            overlays={overlays}
            onOverlays={onOverlays}
          />
        ) : error ? (
          <Alert type="error" showIcon {...messageOf(error)} />
        ) : (
          <div className="dm-sample-viewer-loading">
            <Spin />
          </div>
        )}
      </div>
    </Modal>
  );
}

function messageOf(error: unknown): { message: string; description: string } {
  const { title, detail } = problemText(error);
  return { message: title, description: detail };
}
