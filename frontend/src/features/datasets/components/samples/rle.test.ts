import { describe, expect, it } from 'vitest';
import { RleError, decodeRle, maskPixels, rleArea } from './rle';

/** The mask as rows of 0/1, top to bottom, for readable expectations. */
function rows(mask: ReturnType<typeof decodeRle>): string[] {
  return Array.from({ length: mask.height }, (_, y) =>
    Array.from(mask.bits.subarray(y * mask.width, (y + 1) * mask.width)).join(''),
  );
}

describe('decodeRle', () => {
  it('reads the runs column by column', () => {
    // 3 rows × 2 columns; column-major pixels 0..5 = 0,1,1,0,1,1.
    const mask = decodeRle({ size: [3, 2], counts: [1, 2, 1, 2] });
    expect(mask.width).toBe(2);
    expect(mask.height).toBe(3);
    expect(rows(mask)).toEqual(['00', '11', '11']);
    expect(mask.area).toBe(4);
  });

  it('starts with a run of 0s, which may be empty', () => {
    const mask = decodeRle({ size: [2, 3], counts: [0, 2, 3, 1] });
    // Column 0 full, then column 1 and the top of column 2 empty, the bottom of column 2 set.
    expect(rows(mask)).toEqual(['100', '101']);
    expect(mask.area).toBe(3);
  });

  it('decodes an empty mask', () => {
    const mask = decodeRle({ size: [4, 5], counts: [20] });
    expect(mask.area).toBe(0);
    expect(mask.bits.every((bit) => bit === 0)).toBe(true);
  });

  it('decodes a full mask', () => {
    const mask = decodeRle({ size: [4, 5], counts: [0, 20] });
    expect(mask.area).toBe(20);
    expect(mask.bits.every((bit) => bit === 1)).toBe(true);
  });

  it('decodes a non-square mask whose runs cross columns', () => {
    // 2 rows × 4 columns: a run of 3 from pixel 1 covers (x0,y1), (x1,y0), (x1,y1).
    const mask = decodeRle({ size: [2, 4], counts: [1, 3, 3, 1] });
    expect(rows(mask)).toEqual(['0100', '1101']);
    expect(mask.area).toBe(4);
  });

  it('accepts a zero-pixel mask', () => {
    const mask = decodeRle({ size: [0, 0], counts: [] });
    expect(mask.bits.length).toBe(0);
  });

  it('refuses runs that do not add up to height × width', () => {
    expect(() => decodeRle({ size: [3, 2], counts: [1, 2, 1] })).toThrow(RleError);
    expect(() => decodeRle({ size: [3, 2], counts: [1, 2, 1, 3] })).toThrow(
      /cover 7 pixels, but a 2×3 mask has 6/,
    );
  });

  it('refuses a malformed size or run', () => {
    expect(() => decodeRle({ size: [3], counts: [3] })).toThrow(/not \[height, width\]/);
    expect(() => decodeRle({ size: [2, -1], counts: [] })).toThrow(RleError);
    expect(() => decodeRle({ size: [1, 2], counts: [1, -1, 2] })).toThrow(/whole number/);
    expect(() => decodeRle({ size: [1, 2], counts: [0.5, 1.5] })).toThrow(/whole number/);
  });
});

describe('rleArea', () => {
  it('sums the 1-runs', () => {
    expect(rleArea([1, 2, 1, 2])).toBe(4);
    expect(rleArea([6])).toBe(0);
    expect(rleArea([])).toBe(0);
  });
});

describe('maskPixels', () => {
  it('colours the pixels inside and leaves the others transparent', () => {
    const mask = decodeRle({ size: [1, 3], counts: [1, 1, 1] });
    const pixels = maskPixels(mask, [10, 20, 30], 128);
    expect(Array.from(pixels)).toEqual([0, 0, 0, 0, 10, 20, 30, 128, 0, 0, 0, 0]);
  });
});
