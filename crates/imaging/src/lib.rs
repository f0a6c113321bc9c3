//! Pixel operations for Datamill's pipelines (Phase B).
//!
//! [`process`] takes one source file's bytes, decodes it once, applies the [`PixelOp`]s in order
//! and encodes it once. Same bytes in, same bytes out, on any thread; there is no threading
//! inside (the caller runs images in parallel).
//!
//! * JPEG is decoded and encoded with libjpeg-turbo (about ten times faster than the `image`
//!   crate's encoder); other formats go through `image`.
//! * A JPEG that is only turned by 180° is turned **losslessly** in the DCT domain
//!   (`tjTransform`) when its size is a multiple of its MCU; otherwise it is decoded, turned and
//!   re-encoded, exactly as a decode–rotate–encode at the requested quality would be. The lossless
//!   path keeps the file's markers (EXIF included): a 180° turn commutes with every EXIF
//!   orientation, so the displayed image is turned correctly.
//! * Decoded images have their EXIF orientation applied first, so operations work in display
//!   coordinates (as annotations do); re-encoded output carries no orientation.
//! * 16-bit images (thermal PNG/TIFF) stay 16-bit; asking for JPEG output for them is an error.

mod orientation;
mod pixels;
mod probe;

use std::cell::RefCell;
use std::io::Cursor;

use thiserror::Error;
use turbojpeg::{Colorspace, PixelFormat, Subsamp};

pub use pixels::{Pixels, Samples};
pub use probe::{bit_depth, sniff};

/// One pixel operation, in display coordinates (after EXIF orientation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixelOp {
    /// Turn the image by 180°.
    Rotate180,
    /// Fill the pixels `[x0, x1) × [y0, y1)` (cut to the image) with an RGB colour.
    FillRect {
        x0: u32,
        y0: u32,
        x1: u32,
        y1: u32,
        color: [u8; 3],
    },
    /// Fill the pixels of a COCO uncompressed RLE mask over the whole image: runs alternate
    /// 0s and 1s, starting with 0s, in column-major order (`index = x·height + y`).
    FillRuns { counts: Vec<u32>, color: [u8; 3] },
}

/// How the result is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputEncoding {
    /// Baseline JPEG at this quality (1..=100), with the source's chroma subsampling when the
    /// source is a JPEG, else 4:2:0 (Pillow's default); grey stays grey.
    Jpeg { quality: u8 },
    /// The source's format: JPEG at `jpeg_quality` (same subsampling rule), PNG as PNG with its
    /// bit depth, BMP and TIFF as themselves.
    SameAsSource { jpeg_quality: u8 },
}

/// A container format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Jpeg,
    Png,
    Bmp,
    Tiff,
    Webp,
    Gif,
}

impl SourceFormat {
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Bmp => "BMP",
            Self::Tiff => "TIFF",
            Self::Webp => "WebP",
            Self::Gif => "GIF",
        }
    }
}

/// What to do to one image.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The source file's bytes.
    pub source: &'a [u8],
    /// EXIF orientation 1..=8 as the caller read it (1: none).
    pub orientation: u8,
    pub ops: &'a [PixelOp],
    pub output: OutputEncoding,
}

/// The encoded result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub bytes: Vec<u8>,
    /// The output's format.
    pub format: SourceFormat,
    /// Turned in the DCT domain (or left as it was): no re-encoding loss.
    pub lossless: bool,
    /// The output's display size.
    pub width: u32,
    pub height: u32,
}

/// Why an image could not be processed.
#[derive(Debug, Error)]
pub enum ImagingError {
    #[error("not an image Datamill can read (JPEG, PNG, BMP, TIFF expected)")]
    UnknownFormat,
    #[error("cannot decode the {format}: {message}")]
    Decode {
        format: &'static str,
        message: String,
    },
    #[error("cannot encode as {format}: {message}")]
    Encode {
        format: &'static str,
        message: String,
    },
    #[error(
        "a 16-bit image cannot be re-encoded as JPEG (JPEG holds 8 bits per sample); leave change_compression out for this source"
    )]
    SixteenBitJpeg,
    #[error(
        "Datamill cannot write {0} files; add change_compression to re-encode this source as JPEG"
    )]
    CannotWrite(&'static str),
    #[error("JPEG quality must be 1..=100, not {0}")]
    Quality(u8),
    #[error("the mask covers {covered} pixels but the image has {width} × {height} = {expected}")]
    MaskSize {
        covered: u64,
        expected: u64,
        width: u32,
        height: u32,
    },
}

thread_local! {
    static DECOMPRESSOR: RefCell<Option<turbojpeg::Decompressor>> = const { RefCell::new(None) };
    static COMPRESSOR: RefCell<Option<turbojpeg::Compressor>> = const { RefCell::new(None) };
}

/// Decodes, applies the operations in order, encodes.
pub fn process(request: &Request<'_>) -> Result<Processed, ImagingError> {
    let format = sniff(request.source).ok_or(ImagingError::UnknownFormat)?;
    if let OutputEncoding::Jpeg { quality }
    | OutputEncoding::SameAsSource {
        jpeg_quality: quality,
    } = request.output
        && !(1..=100).contains(&quality)
    {
        return Err(ImagingError::Quality(quality));
    }
    if format == SourceFormat::Jpeg
        && matches!(request.output, OutputEncoding::SameAsSource { .. })
        && request.ops.iter().all(|op| *op == PixelOp::Rotate180)
        && let Some(done) = rotate_jpeg_losslessly(request)?
    {
        return Ok(done);
    }

    let (mut pixels, subsamp) = decode(request.source, format)?;
    pixels = orientation::apply(pixels, request.orientation);
    for op in request.ops {
        pixels.apply(op)?;
    }
    let (width, height) = (pixels.width, pixels.height);
    let (bytes, out_format) = match request.output {
        OutputEncoding::Jpeg { quality } => {
            (encode_jpeg(&pixels, quality, subsamp)?, SourceFormat::Jpeg)
        }
        OutputEncoding::SameAsSource { jpeg_quality } => match format {
            SourceFormat::Jpeg => (
                encode_jpeg(&pixels, jpeg_quality, subsamp)?,
                SourceFormat::Jpeg,
            ),
            SourceFormat::Png => (encode_image(&pixels, image::ImageFormat::Png)?, format),
            SourceFormat::Bmp => (encode_image(&pixels, image::ImageFormat::Bmp)?, format),
            SourceFormat::Tiff => (encode_image(&pixels, image::ImageFormat::Tiff)?, format),
            SourceFormat::Webp | SourceFormat::Gif => {
                return Err(ImagingError::CannotWrite(format.name()));
            }
        },
    };
    Ok(Processed {
        bytes,
        format: out_format,
        lossless: false,
        width,
        height,
    })
}

/// The lossless 180° turn, or `None` when the JPEG's size is not a whole number of MCUs.
fn rotate_jpeg_losslessly(request: &Request<'_>) -> Result<Option<Processed>, ImagingError> {
    let header = turbojpeg::read_header(request.source).map_err(|e| decode_error(&e))?;
    let (stored_w, stored_h) = (header.width as u32, header.height as u32);
    let (width, height) = if (5..=8).contains(&request.orientation) {
        (stored_h, stored_w)
    } else {
        (stored_w, stored_h)
    };
    let turns = request.ops.len();
    if turns.is_multiple_of(2) {
        return Ok(Some(Processed {
            bytes: request.source.to_vec(),
            format: SourceFormat::Jpeg,
            lossless: true,
            width,
            height,
        }));
    }
    let mut transform = turbojpeg::Transform::op(turbojpeg::TransformOp::Rot180);
    // `perfect` refuses partial MCUs at the edges instead of leaving them unturned.
    transform.perfect = true;
    match turbojpeg::transform(&transform, request.source) {
        Ok(bytes) => Ok(Some(Processed {
            bytes: bytes.to_vec(),
            format: SourceFormat::Jpeg,
            lossless: true,
            width,
            height,
        })),
        Err(_) => Ok(None),
    }
}

fn decode_error(error: &dyn std::fmt::Display) -> ImagingError {
    ImagingError::Decode {
        format: "JPEG",
        message: error.to_string(),
    }
}

fn decode(source: &[u8], format: SourceFormat) -> Result<(Pixels, Option<Subsamp>), ImagingError> {
    if format == SourceFormat::Jpeg {
        let header = turbojpeg::read_header(source).map_err(|e| decode_error(&e))?;
        // CMYK/YCCK JPEGs go through `image` (it converts them to RGB).
        if matches!(
            header.colorspace,
            Colorspace::YCbCr | Colorspace::RGB | Colorspace::Gray
        ) {
            let gray = header.colorspace == Colorspace::Gray;
            let channels = if gray { 1 } else { 3 };
            let mut data = vec![0u8; header.width * header.height * channels];
            let image = turbojpeg::Image {
                pixels: data.as_mut_slice(),
                width: header.width,
                pitch: header.width * channels,
                height: header.height,
                format: if gray {
                    PixelFormat::GRAY
                } else {
                    PixelFormat::RGB
                },
            };
            DECOMPRESSOR.with(|cell| {
                let mut slot = cell.borrow_mut();
                if slot.is_none() {
                    *slot = Some(turbojpeg::Decompressor::new().map_err(|e| decode_error(&e))?);
                }
                match slot.as_mut() {
                    Some(decompressor) => decompressor
                        .decompress(source, image)
                        .map_err(|e| decode_error(&e)),
                    None => Err(decode_error(&"no decompressor")),
                }
            })?;
            let pixels = Pixels::from_u8(
                header.width as u32,
                header.height as u32,
                channels as u8,
                data,
            );
            return Ok((pixels, Some(header.subsamp)));
        }
    }
    let decoded = image::load_from_memory(source).map_err(|e| ImagingError::Decode {
        format: format.name(),
        message: e.to_string(),
    })?;
    Ok((Pixels::from_dynamic(decoded), None))
}

fn encode_jpeg(
    pixels: &Pixels,
    quality: u8,
    source_subsamp: Option<Subsamp>,
) -> Result<Vec<u8>, ImagingError> {
    let (channels, data) = pixels.to_jpeg_input()?;
    let gray = channels == 1;
    let subsamp = if gray {
        Subsamp::Gray
    } else {
        match source_subsamp {
            Some(
                s @ (Subsamp::None
                | Subsamp::Sub2x1
                | Subsamp::Sub2x2
                | Subsamp::Sub1x2
                | Subsamp::Sub4x1),
            ) => s,
            _ => Subsamp::Sub2x2,
        }
    };
    let image = turbojpeg::Image {
        pixels: data.as_ref(),
        width: pixels.width as usize,
        pitch: pixels.width as usize * channels,
        height: pixels.height as usize,
        format: if gray {
            PixelFormat::GRAY
        } else {
            PixelFormat::RGB
        },
    };
    let encode_error = |e: &dyn std::fmt::Display| ImagingError::Encode {
        format: "JPEG",
        message: e.to_string(),
    };
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(turbojpeg::Compressor::new().map_err(|e| encode_error(&e))?);
        }
        let Some(compressor) = slot.as_mut() else {
            return Err(encode_error(&"no compressor"));
        };
        compressor
            .set_quality(i32::from(quality))
            .map_err(|e| encode_error(&e))?;
        compressor
            .set_subsamp(subsamp)
            .map_err(|e| encode_error(&e))?;
        compressor
            .compress_to_vec(image)
            .map_err(|e| encode_error(&e))
    })
}

fn encode_image(pixels: &Pixels, format: image::ImageFormat) -> Result<Vec<u8>, ImagingError> {
    let name = match format {
        image::ImageFormat::Png => "PNG",
        image::ImageFormat::Bmp => "BMP",
        _ => "TIFF",
    };
    let dynamic = pixels.to_dynamic().ok_or(ImagingError::Encode {
        format: name,
        message: "the pixel layout has no image equivalent".to_owned(),
    })?;
    let mut out = Cursor::new(Vec::new());
    dynamic
        .write_to(&mut out, format)
        .map_err(|e| ImagingError::Encode {
            format: name,
            message: e.to_string(),
        })?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests;
