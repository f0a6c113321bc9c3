import { type ReactElement, useEffect, useRef } from 'react';
import type { Sample, SampleAnnotation } from '../../api/samples';
import { type ClassColour, classColour } from './colours';
import {
  type Overlays,
  annotationTitle,
  isBox,
  isPolygon,
  labelAnchor,
  polygonPoints,
} from './overlays';
import { type DecodedMask, type RleError, maskPixels } from './rle';

/** Masks are filled at this opacity (of 255) so the picture stays readable below them. */
export const MASK_ALPHA = 115;

/** One mask as a canvas of exactly its pixels, stretched over the image's annotation space. */
function MaskLayer({
  mask,
  colour,
  width,
  height,
  annotationId,
  dimmed,
}: {
  mask: DecodedMask;
  colour: ClassColour;
  width: number;
  height: number;
  annotationId: string;
  dimmed: boolean;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    // No 2D context (jsdom, or a browser out of canvas memory): no mask rather than a crash.
    const context = ref.current?.getContext('2d');
    if (!context || mask.width === 0 || mask.height === 0) return;
    const image = context.createImageData(mask.width, mask.height);
    image.data.set(maskPixels(mask, colour.rgb, MASK_ALPHA));
    context.putImageData(image, 0, 0);
  }, [mask, colour]);
  // A canvas in a foreignObject is scaled by the SVG's viewBox like every other shape, so one
  // mask pixel covers exactly one annotation-space pixel, however large the preview is.
  return (
    <foreignObject x={0} y={0} width={width} height={height} opacity={dimmed ? 0.3 : 1}>
      <canvas
        ref={ref}
        width={mask.width}
        height={mask.height}
        className="dm-sample-mask"
        data-testid="overlay-mask"
        data-annotation-id={annotationId}
      />
    </foreignObject>
  );
}

function idOf(annotation: SampleAnnotation): string {
  return annotation.id === null || annotation.id === undefined ? '' : String(annotation.id);
}

/**
 * An image with its annotations drawn over it, in one SVG whose viewBox is the record's
 * `width × height`: the annotation coordinates are used as they are (no scaling in code), and the
 * preview — which may be smaller than the record says — is stretched into the same space.
 *
 * `detailed` is the viewer: masks, labels and the test hooks. Thumbnails draw boxes and polygons
 * only; decoding every mask of a page of thumbnails would cost far more than it shows.
 */
export function SampleFigure({
  sample,
  imageHref,
  placeholderHref,
  overlays,
  masks,
  highlight = null,
  detailed,
  onImageLoad,
  onImageError,
}: {
  sample: Sample;
  imageHref: string;
  /** An already loaded smaller preview, shown under the large one until it arrives. */
  placeholderHref?: string;
  overlays: Overlays;
  masks?: Map<number, DecodedMask | RleError>;
  /** The annotation index the side panel points at; the others are dimmed. */
  highlight?: number | null;
  detailed: boolean;
  onImageLoad?: () => void;
  onImageError?: () => void;
}) {
  const width = Math.max(1, sample.width);
  const height = Math.max(1, sample.height);
  // Labels keep about the same size on screen whatever the image's resolution, since the whole
  // image is fitted into the view.
  const fontSize = Math.max(8, Math.round(Math.max(width, height) * 0.018));
  const dimmed = (index: number) => highlight !== null && highlight !== index;
  const strokeWidth = detailed ? 2 : 1.5;

  const maskLayers: ReactElement[] = [];
  const polygons: ReactElement[] = [];
  const boxes: ReactElement[] = [];
  const labels: ReactElement[] = [];
  sample.annotations.forEach((annotation, index) => {
    const colour = classColour(annotation.category_id);
    const annotationId = idOf(annotation);
    const emphasis = dimmed(index) ? 0.25 : 1;
    const strong = highlight === index;
    const mask = masks?.get(index);
    if (detailed && overlays.masks && mask && !(mask instanceof Error)) {
      maskLayers.push(
        <MaskLayer
          key={`mask-${index}`}
          mask={mask}
          colour={colour}
          width={width}
          height={height}
          annotationId={annotationId}
          dimmed={dimmed(index)}
        />,
      );
    }
    if (overlays.polygons) {
      (annotation.polygons ?? []).filter(isPolygon).forEach((part, partIndex) => {
        polygons.push(
          <polygon
            key={`polygon-${index}-${partIndex}`}
            points={polygonPoints(part)}
            fill={colour.css}
            fillOpacity={0.35 * emphasis}
            stroke={colour.css}
            strokeOpacity={emphasis}
            strokeWidth={strong ? strokeWidth * 2 : strokeWidth}
            vectorEffect="non-scaling-stroke"
            strokeLinejoin="round"
            {...(detailed
              ? { 'data-testid': 'overlay-polygon', 'data-annotation-id': annotationId }
              : {})}
          />,
        );
      });
    }
    if (overlays.boxes && isBox(annotation.bbox)) {
      const [x, y, w, h] = annotation.bbox;
      boxes.push(
        <rect
          key={`box-${index}`}
          x={x}
          y={y}
          width={w}
          height={h}
          fill="none"
          stroke={colour.css}
          strokeOpacity={emphasis}
          strokeWidth={strong ? strokeWidth * 2 : strokeWidth}
          vectorEffect="non-scaling-stroke"
          {...(detailed
            ? { 'data-testid': 'overlay-box', 'data-annotation-id': annotationId }
            : {})}
        />,
      );
    }
    const anchor = labelAnchor(annotation);
    if (detailed && overlays.labels && anchor) {
      // Above the shape, or just inside it when the shape touches the top edge.
      const inside = anchor.y < fontSize * 1.2;
      labels.push(
        <text
          key={`label-${index}`}
          x={anchor.x}
          y={anchor.y}
          dy={inside ? '1em' : '-0.3em'}
          fontSize={fontSize}
          fill="#fff"
          stroke={colour.css}
          strokeWidth={fontSize * 0.28}
          paintOrder="stroke"
          opacity={emphasis}
          className="dm-sample-label"
          data-testid="overlay-label"
        >
          {annotationTitle(annotation)}
          {annotation.iscrowd ? ' (crowd)' : ''}
        </text>,
      );
    }
  });

  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className={detailed ? 'dm-sample-figure' : 'dm-sample-thumb-figure'}
      role="img"
      aria-label={`${sample.file_name}, ${sample.width}×${sample.height}, ${sample.annotations.length} annotations`}
      data-testid={detailed ? 'sample-figure' : undefined}
    >
      {placeholderHref ? (
        <image
          href={placeholderHref}
          x={0}
          y={0}
          width={width}
          height={height}
          preserveAspectRatio="none"
        />
      ) : null}
      <image
        href={imageHref}
        x={0}
        y={0}
        width={width}
        height={height}
        preserveAspectRatio="none"
        onLoad={onImageLoad}
        onError={onImageError}
        data-testid={detailed ? 'sample-image' : undefined}
      />
      <g className="dm-sample-masks">{maskLayers}</g>
      <g className="dm-sample-polygons">{polygons}</g>
      <g className="dm-sample-boxes">{boxes}</g>
      <g className="dm-sample-labels">{labels}</g>
    </svg>
  );
}
