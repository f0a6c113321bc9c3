/** A class's colour, as CSS and as the RGB a mask canvas is filled with. */
export interface ClassColour {
  css: string;
  rgb: [number, number, number];
}

/** Annotations without a class (image labels, attributes) are drawn in neutral grey. */
const NO_CLASS: ClassColour = { css: 'rgb(140, 140, 140)', rgb: [140, 140, 140] };

/** The golden ratio's fractional part: multiplying by it is Fibonacci hashing. */
const GOLDEN = 0.618_033_988_749_895;

/** A 32-bit integer hash (the murmur3 finaliser), for the small variations in tone. */
function mix(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hslToRgb(hue: number, saturation: number, lightness: number): [number, number, number] {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/**
 * The colour of a class, from its id alone: the same class has the same colour on every image,
 * page, version and visit, whatever else the page shows.
 */
export function classColour(categoryId: number | null | undefined): ClassColour {
  if (categoryId === null || categoryId === undefined) {
    return NO_CLASS;
  }
  // Fibonacci hashing of the id spreads hues evenly: ids next to each other (1, 2, 3 … as most
  // datasets number their classes) land about 137° apart, where a hash modulo 360 can give two of
  // them the same hue.
  const hue = ((((categoryId * GOLDEN) % 1) + 1) % 1) * 360;
  const hash = mix(categoryId);
  // Saturated and mid-light enough to read on photos; the tone varies a little, so two classes
  // whose hues come close still differ.
  const saturation = 0.7 + ((hash >>> 9) % 20) / 100;
  const lightness = 0.42 + ((hash >>> 17) % 14) / 100;
  const rgb = hslToRgb(hue, saturation, lightness);
  return { css: `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`, rgb };
}
