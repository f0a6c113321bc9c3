/**
 * Uncompressed COCO run-length masks, as the samples API sends them: `size` is `[height, width]`,
 * `counts` alternate runs of 0s and 1s starting with 0s, and pixels are numbered column by column
 * (pixel `i` is at `x = floor(i / height)`, `y = i % height`), the order pycocotools uses.
 */
export interface RleMask {
  size: number[];
  counts: number[];
}

/** A mask the decoder refused, with the reason a person can read in the side panel. */
export class RleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RleError';
  }
}

/** A decoded mask: one byte per pixel, row by row (`bits[y * width + x]`), 1 inside. */
export interface DecodedMask {
  width: number;
  height: number;
  bits: Uint8Array;
  /** Pixels inside, i.e. the sum of the 1-runs (COCO's `area` of a crowd region). */
  area: number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Pixels inside the mask without decoding it: the sum of the odd (1) runs. */
export function rleArea(counts: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < counts.length; i += 2) {
    area += counts[i] ?? 0;
  }
  return area;
}

/**
 * Decodes a mask into a row-major bitmap. A mask whose runs do not cover exactly `height × width`
 * pixels is refused rather than drawn: a short or long mask means the writer and the reader
 * disagree about the image, and drawing it would put pixels in the wrong place.
 */
export function decodeRle(mask: RleMask): DecodedMask {
  const [height, width] = mask.size;
  if (mask.size.length !== 2 || !isCount(height) || !isCount(width)) {
    throw new RleError(`the mask size ${JSON.stringify(mask.size)} is not [height, width]`);
  }
  let total = 0;
  for (const run of mask.counts) {
    if (!isCount(run)) {
      throw new RleError(`the run length ${JSON.stringify(run)} is not a whole number ≥ 0`);
    }
    total += run;
  }
  if (total !== height * width) {
    throw new RleError(
      `the runs cover ${total} pixels, but a ${width}×${height} mask has ${height * width}`,
    );
  }
  const bits = new Uint8Array(width * height);
  let position = 0;
  let area = 0;
  mask.counts.forEach((run, index) => {
    if (index % 2 === 1) {
      area += run;
      for (let i = position; i < position + run; i += 1) {
        const x = Math.floor(i / height);
        const y = i - x * height;
        bits[y * width + x] = 1;
      }
    }
    position += run;
  });
  return { width, height, bits, area };
}

/**
 * The RGBA pixels of a canvas that shows the mask in one colour: `alpha` inside, fully
 * transparent outside (so the picture below stays untouched and a pixel count of the canvas
 * equals the mask's area).
 */
export function maskPixels(
  mask: DecodedMask,
  [red, green, blue]: readonly [number, number, number],
  alpha: number,
): Uint8ClampedArray {
  const pixels = new Uint8ClampedArray(mask.width * mask.height * 4);
  mask.bits.forEach((bit, i) => {
    if (bit) {
      pixels[i * 4] = red;
      pixels[i * 4 + 1] = green;
      pixels[i * 4 + 2] = blue;
      pixels[i * 4 + 3] = alpha;
    }
  });
  return pixels;
}
