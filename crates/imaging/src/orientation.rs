//! EXIF orientation (tag 0x0112), applied to decoded pixels so that they are what a viewer shows.
//!
//! | value | stored image is shown | display pixel (x, y) is stored pixel |
//! |---|---|---|
//! | 1 | as stored | (x, y) |
//! | 2 | flipped left–right | (w−1−x, y) |
//! | 3 | turned 180° | (w−1−x, h−1−y) |
//! | 4 | flipped top–bottom | (x, h−1−y) |
//! | 5 | transposed | (y, x) |
//! | 6 | turned 90° clockwise | (y, h−1−x) |
//! | 7 | transversed | (w−1−y, h−1−x) |
//! | 8 | turned 90° counter-clockwise | (w−1−y, x) |
//!
//! (w, h: the stored size.) Values outside 1..=8 are taken as 1.

use crate::pixels::{Layout, Pixels, Sample, Samples, with_pixels};

/// The orientation that shows the stored image as `orientation` does, then turned by 180°.
#[must_use]
pub(crate) const fn turned(orientation: u8) -> u8 {
    match orientation {
        3 => 1,
        2 => 4,
        4 => 2,
        5 => 7,
        7 => 5,
        6 => 8,
        8 => 6,
        // 1, and anything else, which is taken as 1.
        _ => 3,
    }
}

/// The displayed size of a `width × height` stored image.
#[must_use]
pub(crate) const fn display_size(width: u32, height: u32, orientation: u8) -> (u32, u32) {
    if orientation >= 5 && orientation <= 8 {
        (height, width)
    } else {
        (width, height)
    }
}

/// Rearranges the pixels as displayed: in place for 2, 3 and 4, into a new buffer (one tiled
/// pass) for the four orientations that swap width and height.
pub(crate) fn apply(pixels: &mut Pixels, orientation: u8) {
    let (w, h) = (pixels.width as usize, pixels.height as usize);
    match orientation {
        2 => with_pixels!(pixels, |px| {
            for row in px.chunks_exact_mut(w.max(1)) {
                row.reverse();
            }
        }),
        3 => pixels.rotate_180(),
        4 => with_pixels!(pixels, |px| flip_vertically(px, w, h)),
        5..=8 => {
            let samples = match (&pixels.samples, pixels.layout) {
                (Samples::U8(d), Layout::Grey) => {
                    Samples::U8(swapped::<_, 1>(d, w, h, orientation))
                }
                (Samples::U8(d), Layout::GreyAlpha) => {
                    Samples::U8(swapped::<_, 2>(d, w, h, orientation))
                }
                (Samples::U8(d), Layout::Rgb) => Samples::U8(swapped::<_, 3>(d, w, h, orientation)),
                (Samples::U8(d), Layout::Rgba) => {
                    Samples::U8(swapped::<_, 4>(d, w, h, orientation))
                }
                (Samples::U16(d), Layout::Grey) => {
                    Samples::U16(swapped::<_, 1>(d, w, h, orientation))
                }
                (Samples::U16(d), Layout::GreyAlpha) => {
                    Samples::U16(swapped::<_, 2>(d, w, h, orientation))
                }
                (Samples::U16(d), Layout::Rgb) => {
                    Samples::U16(swapped::<_, 3>(d, w, h, orientation))
                }
                (Samples::U16(d), Layout::Rgba) => {
                    Samples::U16(swapped::<_, 4>(d, w, h, orientation))
                }
            };
            pixels.samples = samples;
            (pixels.width, pixels.height) = (pixels.height, pixels.width);
        }
        _ => {}
    }
}

/// Swaps row `y` with row `h−1−y` for the top half.
fn flip_vertically<P>(px: &mut [P], w: usize, h: usize) {
    let (top, bottom) = px.split_at_mut(h / 2 * w);
    for y in 0..h / 2 {
        // Row h−1−y lies at h−1−y−h/2 within the bottom part.
        let mirror = h - 1 - y - h / 2;
        top[y * w..(y + 1) * w].swap_with_slice(&mut bottom[mirror * w..(mirror + 1) * w]);
    }
}

/// Square tiles keep both the rows read and the rows written in cache.
const TILE: usize = 32;

/// The pixels of a `w × h` image shown with orientation 5..=8, as an `h × w` image.
fn swapped<T: Sample, const N: usize>(data: &[T], w: usize, h: usize, orientation: u8) -> Vec<T> {
    let mut out = vec![T::default(); data.len()];
    let src = data.as_chunks::<N>().0;
    let dst = out.as_chunks_mut::<N>().0;
    // Display (x, y) shows stored (sx, sy): sx depends on y only, sy on x only.
    let from_right = matches!(orientation, 7 | 8); // sx = w−1−y, else y
    let from_bottom = matches!(orientation, 6 | 7); // sy = h−1−x, else x
    let (out_w, out_h) = (h, w);
    for tile_y in (0..out_h).step_by(TILE) {
        for tile_x in (0..out_w).step_by(TILE) {
            let x_end = (tile_x + TILE).min(out_w);
            for y in tile_y..(tile_y + TILE).min(out_h) {
                let sx = if from_right { w - 1 - y } else { y };
                let row = &mut dst[y * out_w + tile_x..y * out_w + x_end];
                if from_bottom {
                    for (x, p) in (tile_x..x_end).zip(row) {
                        *p = src[(h - 1 - x) * w + sx];
                    }
                } else {
                    for (x, p) in (tile_x..x_end).zip(row) {
                        *p = src[x * w + sx];
                    }
                }
            }
        }
    }
    out
}
