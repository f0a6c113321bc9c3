import type { SampleAnnotation } from '../../api/samples';
import { type DecodedMask, RleError, decodeRle } from './rle';

/** Which kinds of overlay are drawn; one switch each in the toolbar and in the viewer. */
export interface Overlays {
  boxes: boolean;
  polygons: boolean;
  masks: boolean;
  labels: boolean;
}

export const ALL_OVERLAYS: Overlays = { boxes: true, polygons: true, masks: true, labels: true };

export type OverlayKind = keyof Overlays;

/** How many annotations of a sample each switch would show or hide. */
export function overlayCounts(annotations: SampleAnnotation[]): Record<OverlayKind, number> {
  let boxes = 0;
  let polygons = 0;
  let masks = 0;
  let labels = 0;
  for (const annotation of annotations) {
    const box = isBox(annotation.bbox);
    boxes += box ? 1 : 0;
    polygons += (annotation.polygons ?? []).some(isPolygon) ? 1 : 0;
    masks += annotation.mask ? 1 : 0;
    labels += labelAnchor(annotation) && (annotation.category || annotation.label) ? 1 : 0;
  }
  return { boxes, polygons, masks, labels };
}

/** `[x, y, w, h]` with four finite numbers; anything else is not drawn. */
export function isBox(bbox: number[] | null | undefined): bbox is [number, number, number, number] {
  return Array.isArray(bbox) && bbox.length === 4 && bbox.every(Number.isFinite);
}

/** A polygon part needs three points (six numbers) to enclose anything. */
export function isPolygon(part: number[]): boolean {
  return part.length >= 6 && part.length % 2 === 0 && part.every(Number.isFinite);
}

/** `x0,y0 x1,y1 …`, the `points` attribute of an SVG polygon. */
export function polygonPoints(part: number[]): string {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < part.length; i += 2) {
    pairs.push(`${part[i]},${part[i + 1]}`);
  }
  return pairs.join(' ');
}

/** The text a shape is labelled with: its class, else its free-text label. */
export function annotationTitle(annotation: SampleAnnotation): string {
  return annotation.category ?? annotation.label ?? annotation.annotation_type.toLowerCase();
}

/** Where a label goes: the top-left of the box, else the first point of the first polygon. */
export function labelAnchor(annotation: SampleAnnotation): { x: number; y: number } | undefined {
  if (isBox(annotation.bbox)) {
    return { x: annotation.bbox[0], y: annotation.bbox[1] };
  }
  const part = (annotation.polygons ?? []).find(isPolygon);
  if (part) {
    return { x: part[0] as number, y: part[1] as number };
  }
  return undefined;
}

/**
 * The decoded masks of a sample by annotation index, or why one could not be decoded. Decoding is
 * done once per sample (the viewer memoises it): a 4000×3000 mask is 12 M pixels.
 */
export function decodeMasks(annotations: SampleAnnotation[]): Map<number, DecodedMask | RleError> {
  const masks = new Map<number, DecodedMask | RleError>();
  annotations.forEach((annotation, index) => {
    if (!annotation.mask) return;
    try {
      masks.set(index, decodeRle(annotation.mask));
    } catch (error) {
      masks.set(index, error instanceof RleError ? error : new RleError(String(error)));
    }
  });
  return masks;
}
