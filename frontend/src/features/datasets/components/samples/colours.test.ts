import { describe, expect, it } from 'vitest';
import { classColour } from './colours';

function hue([r, g, b]: [number, number, number]): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === min) return 0;
  const d = max - min;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

describe('classColour', () => {
  it('gives a class the same colour every time', () => {
    expect(classColour(18)).toEqual(classColour(18));
    expect(classColour(18).css).toMatch(/^rgb\(\d+, \d+, \d+\)$/);
  });

  it('keeps the hues of neighbouring ids apart', () => {
    const hues = Array.from({ length: 8 }, (_, i) => hue(classColour(i + 1).rgb));
    for (let a = 0; a < hues.length; a += 1) {
      for (let b = a + 1; b < hues.length; b += 1) {
        const distance = Math.abs((hues[a] as number) - (hues[b] as number));
        expect(Math.min(distance, 360 - distance)).toBeGreaterThan(15);
      }
    }
  });

  it('draws annotations without a class in grey', () => {
    expect(classColour(null).rgb).toEqual([140, 140, 140]);
    expect(classColour(undefined)).toEqual(classColour(null));
  });
});
