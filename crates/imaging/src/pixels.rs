//! A decoded image and the operations on it: interleaved 8- or 16-bit samples, row-major, in one
//! of four channel layouts. Every operation works on whole pixels (`[T; N]`), in place.

use crate::{ImagingError, PixelOp};

/// The channels of a pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Grey,
    GreyAlpha,
    Rgb,
    Rgba,
}

impl Layout {
    pub(crate) const fn channels(self) -> usize {
        match self {
            Self::Grey => 1,
            Self::GreyAlpha => 2,
            Self::Rgb => 3,
            Self::Rgba => 4,
        }
    }
}

/// The samples of an image, `width · height · channels` of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Samples {
    U8(Vec<u8>),
    U16(Vec<u16>),
}

/// A decoded image. Invariant: the sample count is `width · height · layout.channels()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pixels {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) layout: Layout,
    pub(crate) samples: Samples,
}

/// Runs `$body` with `$px` bound to the samples as `&mut [[T; N]]` (whole pixels), for the
/// image's sample type and channel count.
macro_rules! with_pixels {
    ($pixels:expr, |$px:ident| $body:expr) => {{
        use $crate::pixels::{Layout, Samples};
        let pixels = $pixels;
        match (&mut pixels.samples, pixels.layout) {
            (Samples::U8(d), Layout::Grey) => {
                let $px = d.as_chunks_mut::<1>().0;
                $body
            }
            (Samples::U8(d), Layout::GreyAlpha) => {
                let $px = d.as_chunks_mut::<2>().0;
                $body
            }
            (Samples::U8(d), Layout::Rgb) => {
                let $px = d.as_chunks_mut::<3>().0;
                $body
            }
            (Samples::U8(d), Layout::Rgba) => {
                let $px = d.as_chunks_mut::<4>().0;
                $body
            }
            (Samples::U16(d), Layout::Grey) => {
                let $px = d.as_chunks_mut::<1>().0;
                $body
            }
            (Samples::U16(d), Layout::GreyAlpha) => {
                let $px = d.as_chunks_mut::<2>().0;
                $body
            }
            (Samples::U16(d), Layout::Rgb) => {
                let $px = d.as_chunks_mut::<3>().0;
                $body
            }
            (Samples::U16(d), Layout::Rgba) => {
                let $px = d.as_chunks_mut::<4>().0;
                $body
            }
        }
    }};
}
pub(crate) use with_pixels;

/// A sample type.
pub(crate) trait Sample: Copy + Default + Send + Sync + 'static {
    /// The sample for an 8-bit value (`c·257` for 16 bits: 255 → 65535).
    fn from_u8(value: u8) -> Self;
}

impl Sample for u8 {
    fn from_u8(value: u8) -> Self {
        value
    }
}

impl Sample for u16 {
    fn from_u8(value: u8) -> Self {
        u16::from(value) * 257
    }
}

impl Pixels {
    pub(crate) fn is_sixteen_bit(&self) -> bool {
        matches!(self.samples, Samples::U16(_))
    }

    /// Turns the image by 180°: the pixel order reversed, in place.
    pub(crate) fn rotate_180(&mut self) {
        with_pixels!(self, |px| px.reverse());
    }

    /// Applies one operation in place.
    pub(crate) fn apply(&mut self, op: &PixelOp) -> Result<(), ImagingError> {
        let (width, height) = (self.width as usize, self.height as usize);
        let layout = self.layout;
        match op {
            PixelOp::Rotate180 => self.rotate_180(),
            PixelOp::FillRect {
                x0,
                y0,
                x1,
                y1,
                color,
            } => {
                let x1 = (*x1 as usize).min(width);
                let y1 = (*y1 as usize).min(height);
                let x0 = (*x0 as usize).min(x1);
                let y0 = (*y0 as usize).min(y1);
                with_pixels!(self, |px| fill_rect(
                    px,
                    width,
                    (x0, y0, x1, y1),
                    colour(*color, layout)
                ));
            }
            PixelOp::FillRuns { counts, color } => {
                check_runs(counts, self.width, self.height)?;
                with_pixels!(self, |px| fill_runs(
                    px,
                    width,
                    height,
                    counts,
                    colour(*color, layout)
                ));
            }
        }
        Ok(())
    }
}

/// Checks that a mask's runs cover exactly `width × height` pixels.
pub(crate) fn check_runs(counts: &[u32], width: u32, height: u32) -> Result<(), ImagingError> {
    let covered = counts
        .iter()
        .fold(0u64, |sum, run| sum.saturating_add(u64::from(*run)));
    let expected = u64::from(width) * u64::from(height);
    if covered != expected {
        return Err(ImagingError::MaskSize {
            covered,
            expected,
            width,
            height,
        });
    }
    Ok(())
}

/// A fill colour as one pixel of the layout: grey is the BT.601 luma rounded (Pillow's `L`
/// conversion, in the same integer arithmetic), alpha is opaque.
fn colour<T: Sample, const N: usize>([r, g, b]: [u8; 3], layout: Layout) -> [T; N] {
    let luma = ((19_595 * u32::from(r) + 38_470 * u32::from(g) + 7_471 * u32::from(b) + 0x8000)
        >> 16) as u8;
    let values = match layout {
        Layout::Grey => [luma, 0, 0, 0],
        Layout::GreyAlpha => [luma, 255, 0, 0],
        Layout::Rgb => [r, g, b, 0],
        Layout::Rgba => [r, g, b, 255],
    };
    std::array::from_fn(|i| T::from_u8(values[i]))
}

/// Fills `[x0, x1) × [y0, y1)` (already inside the image), one row slice at a time.
fn fill_rect<P: Copy>(
    px: &mut [P],
    width: usize,
    (x0, y0, x1, y1): (usize, usize, usize, usize),
    colour: P,
) {
    if x0 == x1 {
        return;
    }
    for row in px.chunks_exact_mut(width).take(y1).skip(y0) {
        row[x0..x1].fill(colour);
    }
}

/// Fills the 1-runs of a column-major RLE mask that covers exactly `width × height` pixels.
fn fill_runs<P: Copy>(px: &mut [P], width: usize, height: usize, counts: &[u32], colour: P) {
    let mut start = 0usize;
    for (index, run) in counts.iter().enumerate() {
        let end = start + *run as usize;
        if index % 2 == 1 {
            // The run, cut at column ends: each piece is part of one column.
            let mut k = start;
            while k < end {
                let (x, top) = (k / height, k % height);
                let bottom = height.min(top + (end - k));
                for y in top..bottom {
                    px[y * width + x] = colour;
                }
                k += bottom - top;
            }
        }
        start = end;
    }
}
