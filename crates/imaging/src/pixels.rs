//! A decoded image: interleaved 8- or 16-bit samples, 1–4 channels (grey, grey+alpha, RGB, RGBA).

use std::borrow::Cow;

use image::DynamicImage;

use crate::{ImagingError, PixelOp};

/// The samples of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Samples {
    U8(Vec<u8>),
    U16(Vec<u16>),
}

/// A decoded image, row-major, channels interleaved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    /// 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
    pub channels: u8,
    pub samples: Samples,
}

impl Pixels {
    #[must_use]
    pub fn from_u8(width: u32, height: u32, channels: u8, data: Vec<u8>) -> Self {
        Self {
            width,
            height,
            channels,
            samples: Samples::U8(data),
        }
    }

    /// Takes `image`'s buffer as it is where the layout is ours; other layouts (32-bit float)
    /// become RGBA16, which keeps what any source format holds.
    #[must_use]
    pub fn from_dynamic(image: DynamicImage) -> Self {
        let (width, height) = (image.width(), image.height());
        let (channels, samples) = match image {
            DynamicImage::ImageLuma8(b) => (1, Samples::U8(b.into_raw())),
            DynamicImage::ImageLumaA8(b) => (2, Samples::U8(b.into_raw())),
            DynamicImage::ImageRgb8(b) => (3, Samples::U8(b.into_raw())),
            DynamicImage::ImageRgba8(b) => (4, Samples::U8(b.into_raw())),
            DynamicImage::ImageLuma16(b) => (1, Samples::U16(b.into_raw())),
            DynamicImage::ImageLumaA16(b) => (2, Samples::U16(b.into_raw())),
            DynamicImage::ImageRgb16(b) => (3, Samples::U16(b.into_raw())),
            other => (4, Samples::U16(other.into_rgba16().into_raw())),
        };
        Self {
            width,
            height,
            channels,
            samples,
        }
    }

    /// The same pixels as an `image` buffer (for PNG/BMP/TIFF encoding).
    #[must_use]
    pub fn to_dynamic(&self) -> Option<DynamicImage> {
        let (w, h) = (self.width, self.height);
        Some(match (&self.samples, self.channels) {
            (Samples::U8(d), 1) => {
                DynamicImage::ImageLuma8(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            (Samples::U8(d), 2) => {
                DynamicImage::ImageLumaA8(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            (Samples::U8(d), 3) => {
                DynamicImage::ImageRgb8(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            (Samples::U8(d), 4) => {
                DynamicImage::ImageRgba8(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            (Samples::U16(d), 1) => {
                DynamicImage::ImageLuma16(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            (Samples::U16(d), 2) => {
                DynamicImage::ImageLumaA16(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            (Samples::U16(d), 3) => {
                DynamicImage::ImageRgb16(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            (Samples::U16(d), 4) => {
                DynamicImage::ImageRgba16(image::ImageBuffer::from_raw(w, h, d.clone())?)
            }
            _ => return None,
        })
    }

    /// 8-bit grey or RGB samples for the JPEG encoder; alpha is dropped (JPEG has none).
    pub(crate) fn to_jpeg_input(&self) -> Result<(usize, Cow<'_, [u8]>), ImagingError> {
        let Samples::U8(data) = &self.samples else {
            return Err(ImagingError::SixteenBitJpeg);
        };
        Ok(match self.channels {
            1 | 3 => (usize::from(self.channels), Cow::Borrowed(data.as_slice())),
            2 => (1, Cow::Owned(data.chunks_exact(2).map(|p| p[0]).collect())),
            _ => (
                3,
                Cow::Owned(
                    data.chunks_exact(4)
                        .flat_map(|p| [p[0], p[1], p[2]])
                        .collect(),
                ),
            ),
        })
    }

    /// Applies one operation in place.
    pub fn apply(&mut self, op: &PixelOp) -> Result<(), ImagingError> {
        match op {
            PixelOp::Rotate180 => {
                let channels = usize::from(self.channels);
                match &mut self.samples {
                    Samples::U8(d) => rotate_180(d, channels),
                    Samples::U16(d) => rotate_180(d, channels),
                }
            }
            PixelOp::FillRect {
                x0,
                y0,
                x1,
                y1,
                color,
            } => {
                let (x1, y1) = ((*x1).min(self.width), (*y1).min(self.height));
                let colour = Colour::new(*color, self.channels);
                for y in (*y0).min(y1)..y1 {
                    for x in (*x0).min(x1)..x1 {
                        self.set(x, y, &colour);
                    }
                }
            }
            PixelOp::FillRuns { counts, color } => {
                let covered: u64 = counts.iter().map(|c| u64::from(*c)).sum();
                let expected = u64::from(self.width) * u64::from(self.height);
                if covered != expected {
                    return Err(ImagingError::MaskSize {
                        covered,
                        expected,
                        width: self.width,
                        height: self.height,
                    });
                }
                let colour = Colour::new(*color, self.channels);
                let height = u64::from(self.height);
                let mut position = 0u64;
                for (index, run) in counts.iter().enumerate() {
                    let end = position + u64::from(*run);
                    if index % 2 == 1 {
                        for k in position..end {
                            self.set((k / height) as u32, (k % height) as u32, &colour);
                        }
                    }
                    position = end;
                }
            }
        }
        Ok(())
    }

    fn set(&mut self, x: u32, y: u32, colour: &Colour) {
        let channels = usize::from(self.channels);
        let at = (y as usize * self.width as usize + x as usize) * channels;
        match &mut self.samples {
            Samples::U8(d) => d[at..at + channels].copy_from_slice(&colour.eight[..channels]),
            Samples::U16(d) => d[at..at + channels].copy_from_slice(&colour.sixteen[..channels]),
        }
    }
}

/// A fill colour in the image's own channel layout, at both depths.
struct Colour {
    eight: [u8; 4],
    sixteen: [u16; 4],
}

impl Colour {
    fn new([r, g, b]: [u8; 3], channels: u8) -> Self {
        // ITU-R BT.601 luma, as JPEG and Pillow's "L" conversion use.
        let luma =
            (0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b)).round() as u8;
        let eight = match channels {
            1 => [luma, 0, 0, 0],
            2 => [luma, 255, 0, 0],
            3 => [r, g, b, 0],
            _ => [r, g, b, 255],
        };
        Self {
            eight,
            sixteen: eight.map(|v| u16::from(v) * 257),
        }
    }
}

/// Turns interleaved pixels by 180°: the pixel order reversed, each pixel's channels kept.
fn rotate_180<T>(data: &mut [T], channels: usize) {
    data.reverse();
    if channels > 1 {
        for pixel in data.chunks_exact_mut(channels) {
            pixel.reverse();
        }
    }
}
