//! EXIF orientation (tag 0x0112), applied to decoded pixels so that they are what a viewer shows.

use crate::pixels::{Pixels, Samples};

/// The pixels as displayed for orientation 1..=8 (anything else is taken as 1).
#[must_use]
pub(crate) fn apply(pixels: Pixels, orientation: u8) -> Pixels {
    if !(2..=8).contains(&orientation) {
        return pixels;
    }
    let (w, h) = (pixels.width as usize, pixels.height as usize);
    let swapped = orientation >= 5;
    let (out_w, out_h) = if swapped { (h, w) } else { (w, h) };
    // For each output pixel (x, y), the source pixel it shows.
    let source = move |x: usize, y: usize| -> (usize, usize) {
        match orientation {
            2 => (w - 1 - x, y),
            3 => (w - 1 - x, h - 1 - y),
            4 => (x, h - 1 - y),
            5 => (y, x),
            6 => (y, h - 1 - x),
            7 => (w - 1 - y, h - 1 - x),
            _ => (w - 1 - y, x),
        }
    };
    let channels = usize::from(pixels.channels);
    let samples = match &pixels.samples {
        Samples::U8(d) => Samples::U8(remap(d, w, out_w, out_h, channels, source)),
        Samples::U16(d) => Samples::U16(remap(d, w, out_w, out_h, channels, source)),
    };
    Pixels {
        width: out_w as u32,
        height: out_h as u32,
        channels: pixels.channels,
        samples,
    }
}

fn remap<T: Copy + Default>(
    data: &[T],
    in_w: usize,
    out_w: usize,
    out_h: usize,
    channels: usize,
    source: impl Fn(usize, usize) -> (usize, usize),
) -> Vec<T> {
    let mut out = vec![T::default(); out_w * out_h * channels];
    for y in 0..out_h {
        for x in 0..out_w {
            let (sx, sy) = source(x, y);
            let from = (sy * in_w + sx) * channels;
            let to = (y * out_w + x) * channels;
            out[to..to + channels].copy_from_slice(&data[from..from + channels]);
        }
    }
    out
}
