//! Pixel operations for Datamill's pipelines (Phase B).
//!
//! [`process`] takes one source file's bytes, decodes it once, applies the [`PixelOp`]s in order
//! and encodes it once. Same bytes in, same bytes out, on any thread: nothing inside is threaded
//! (the caller runs images in parallel) and every codec used is deterministic.
//!
//! * **JPEG** is decoded and encoded with libjpeg-turbo (`turbojpeg`), several times faster than
//!   the `image` crate's encoder; PNG, BMP, TIFF and WebP go through `image`.
//! * **Orientation.** The caller's EXIF orientation is applied right after decoding, so operations
//!   work in display coordinates (as annotations do); re-encoded output carries no EXIF, the turn
//!   is in the pixels.
//! * **Lossless 180° turn.** A JPEG that is only turned (one or more [`PixelOp::Rotate180`], output
//!   [`OutputEncoding::SameAsSource`]) is turned in the DCT domain (`tjTransform` ROT180 with
//!   `perfect`) when its size is a whole number of MCUs: no re-encoding loss, and the file's
//!   markers (EXIF, ICC, comments) are copied. Keeping the EXIF orientation is correct because a
//!   180° turn commutes with each of the eight orientations (display∘turn = turn∘display), so the
//!   viewer shows the displayed image turned by 180°. An even number of turns returns the source
//!   bytes unchanged. A JPEG with partial MCUs at its edges (e.g. 1920×1080 at 4:2:0) is decoded,
//!   turned and re-encoded at `jpeg_quality` instead ([`Processed::lossless`] tells which).
//! * **Re-encoding in the DCT domain.** A JPEG asked for as JPEG at some quality, only turned
//!   (or not at all) and with EXIF orientation 1 or 3, keeps its coefficients: they are turned
//!   (when the net turn, orientation included, is 180° and the image is a whole number of
//!   MCUs) and requantised for the new quality, with no decoding to pixels. Files this cannot
//!   serve (partial MCUs with a turn, unusual layouts, 12-bit, lossless, corrupt data) go
//!   through their YCbCr planes or pixels instead; [`Processed::route`] tells which way ran.
//! * **Bit depth.** 16-bit images (thermal PNG/TIFF) stay 16-bit; JPEG output for them is an
//!   error ([`ImagingError::SixteenBitJpeg`]).
//! * **Safety.** Any input bytes give an image or an error, never a panic; images of more than
//!   [`MAX_PIXELS`] pixels are refused before their pixels are allocated.
//!
//! [`preview`] makes a small JPEG of any image for people to look at (EDA galleries, the image
//! endpoint): DCT-scaled JPEG decoding, 16-bit images windowed to 8 bits by percentiles, EXIF
//! orientation applied, resized with `fast_image_resize`. [`verify`] and [`sample_histogram`]
//! serve the EDA's health checks and thermal statistics.

mod coeffs;
mod error;
mod jpeg;
mod orientation;
mod other;
mod pixels;
mod preview;
mod probe;

pub use error::ImagingError;
pub use preview::{
    Preview, PreviewFilter, PreviewOptions, SampleHistogram, preview, preview_size,
    sample_histogram, verify,
};
pub use probe::{bit_depth, exif_orientation, sniff};

use pixels::Pixels;

/// The largest image [`process`] decodes, in pixels (16384 × 16384); larger ones are refused
/// with [`ImagingError::TooLarge`] before their pixels are allocated.
pub const MAX_PIXELS: u64 = 1 << 28;

/// One pixel operation, in display coordinates (after EXIF orientation is applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixelOp {
    /// Turn the image by 180 degrees.
    Rotate180,
    /// Fill the integer pixel rectangle `[x0, x1) × [y0, y1)` with an RGB colour. The rectangle
    /// is cut to the image; an empty or inverted one fills nothing.
    FillRect {
        x0: u32,
        y0: u32,
        x1: u32,
        y1: u32,
        color: [u8; 3],
    },
    /// Fill the pixels of a COCO-style uncompressed RLE mask: `counts` alternate runs of 0s and
    /// 1s, starting with 0s, over the pixels in column-major order (`index = x·height + y`), for
    /// an image of exactly width × height pixels. Pixels with value 1 get the colour.
    FillRuns { counts: Vec<u32>, color: [u8; 3] },
}

/// How the result is encoded.
///
/// Fill colours are RGB; in a grey image a pixel gets the colour's luma (BT.601, rounded, as
/// Pillow's `convert("L")`), in a 16-bit image each 8-bit value `c` becomes `c·257`, and filled
/// pixels of an image with alpha are made opaque.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputEncoding {
    /// Re-encode as baseline JPEG at this quality (1..=100). Chroma subsampling: the source's
    /// when the source is a JPEG (4:2:0, 4:2:2, 4:4:4, ...), else 4:2:0 (Pillow's default);
    /// greyscale sources stay greyscale. Alpha is dropped (JPEG has none).
    Jpeg { quality: u8 },
    /// Keep the source's container format: JPEG → JPEG at `jpeg_quality` (same subsampling
    /// rule); PNG → PNG with its colour type and bit depth (a palette PNG becomes RGB(A), a 1-,
    /// 2- or 4-bit grey one 8-bit grey), ICC profile kept; BMP, TIFF (uncompressed) and WebP
    /// (lossless) as themselves.
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
    /// Recognised by [`sniff`] but not processed.
    Gif,
}

impl SourceFormat {
    /// The format's usual name ("JPEG", "PNG", ...).
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

    /// The usual file extension, without the dot.
    #[must_use]
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Bmp => "bmp",
            Self::Tiff => "tif",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }
}

impl std::fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What to do to one image.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The file's bytes.
    pub source: &'a [u8],
    /// EXIF orientation 1..=8 as the caller read it (1: none). Values outside 1..=8 are taken as
    /// 1, as viewers do.
    pub orientation: u8,
    /// Applied in order.
    pub ops: &'a [PixelOp],
    pub output: OutputEncoding,
}

/// The encoded result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub bytes: Vec<u8>,
    /// The output's format.
    pub format: SourceFormat,
    /// True when the JPEG was turned in the DCT domain without requantisation (or returned as
    /// it was): no re-encoding loss, markers kept. Same as `route.is_lossless()`.
    pub lossless: bool,
    /// How the output was made.
    pub route: Route,
    /// The output's display size.
    pub width: u32,
    pub height: u32,
}

/// How [`process`] made its output, fastest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// The source's bytes as they were (an even number of turns, nothing else).
    Unchanged,
    /// A JPEG turned in the DCT domain with its coefficients moved, not requantised
    /// (`tjTransform`): lossless, markers kept.
    LosslessTurn,
    /// A JPEG re-encoded in the DCT domain: coefficients turned or not, requantised for the
    /// new quality; no decoding to pixels.
    Coefficients,
    /// A JPEG decoded to its YCbCr planes, turned or not, and encoded from them.
    Planes,
    /// Decoded to grey or RGB pixels, operations applied, encoded.
    Pixels,
}

impl Route {
    /// True when no pixel changed on the way (no requantisation).
    #[must_use]
    pub const fn is_lossless(self) -> bool {
        matches!(self, Self::Unchanged | Self::LosslessTurn)
    }
}

/// Decodes the source, applies the operations in order, encodes the result.
pub fn process(request: &Request<'_>) -> Result<Processed, ImagingError> {
    let format = sniff(request.source).ok_or(ImagingError::UnsupportedFormat(None))?;
    if format == SourceFormat::Gif {
        return Err(ImagingError::UnsupportedFormat(Some(format)));
    }
    let output = match request.output {
        OutputEncoding::Jpeg { quality } => Output::Jpeg(quality),
        OutputEncoding::SameAsSource { jpeg_quality } if format == SourceFormat::Jpeg => {
            Output::Jpeg(jpeg_quality)
        }
        OutputEncoding::SameAsSource { .. } => Output::Other(format),
    };
    if let Output::Jpeg(quality) = output
        && !(1..=100).contains(&quality)
    {
        return Err(ImagingError::Quality(quality));
    }
    // A 16-bit source asked for as JPEG is refused from its header, before any decoding.
    if matches!(output, Output::Jpeg(_))
        && format != SourceFormat::Jpeg
        && bit_depth(request.source).is_some_and(|bits| bits > 8)
    {
        return Err(ImagingError::SixteenBitJpeg);
    }
    let orientation = if (1..=8).contains(&request.orientation) {
        request.orientation
    } else {
        1
    };

    if format == SourceFormat::Jpeg
        && matches!(request.output, OutputEncoding::SameAsSource { .. })
        && request.ops.iter().all(|op| *op == PixelOp::Rotate180)
        && let Some(done) = jpeg::rotate_losslessly(
            request.source,
            request.ops.len().is_multiple_of(2),
            orientation,
        )?
    {
        return Ok(done);
    }

    // Only turns, JPEG in and out, no EXIF quarter turn to bake in: stay in the DCT domain
    // where the turn is exact, else in YCbCr.
    if format == SourceFormat::Jpeg
        && let Output::Jpeg(quality) = output
        && request.ops.iter().all(|op| *op == PixelOp::Rotate180)
        && matches!(orientation, 1 | 3)
    {
        let turn = (orientation == 3) == request.ops.len().is_multiple_of(2);
        if let Some(done) = coeffs::recode(request.source, turn, quality)? {
            return Ok(done);
        }
        if let Some(done) = jpeg::recode_planes(request.source, turn, quality)? {
            return Ok(done);
        }
    }

    let decoded = match format {
        SourceFormat::Jpeg => jpeg::decode(request.source)?,
        _ => other::decode(request.source, format)?,
    };
    let mut pixels = decoded.pixels;
    if matches!(output, Output::Jpeg(_)) && pixels.is_sixteen_bit() {
        return Err(ImagingError::SixteenBitJpeg);
    }

    // Turns before the first fill fold into the orientation (a turn after orientation o is
    // orientation o' below); turns between fills cancel in pairs.
    let leading = request
        .ops
        .iter()
        .take_while(|op| **op == PixelOp::Rotate180)
        .count();
    let orientation = if leading % 2 == 1 {
        orientation::turned(orientation)
    } else {
        orientation
    };
    let (width, height) = orientation::display_size(pixels.width, pixels.height, orientation);
    for op in request.ops {
        if let PixelOp::FillRuns { counts, .. } = op {
            pixels::check_runs(counts, width, height)?;
        }
    }
    orientation::apply(&mut pixels, orientation);
    let mut turn_pending = false;
    for op in &request.ops[leading..] {
        if *op == PixelOp::Rotate180 {
            turn_pending = !turn_pending;
            continue;
        }
        if std::mem::take(&mut turn_pending) {
            pixels.rotate_180();
        }
        pixels.apply(op)?;
    }
    if turn_pending {
        pixels.rotate_180();
    }

    let (width, height) = (pixels.width, pixels.height);
    let (bytes, format) = match output {
        Output::Jpeg(quality) => (
            jpeg::encode(&pixels, quality, decoded.jpeg_subsamp)?,
            SourceFormat::Jpeg,
        ),
        Output::Other(format) => (other::encode(pixels, format, decoded.icc)?, format),
    };
    Ok(Processed {
        bytes,
        format,
        lossless: false,
        route: Route::Pixels,
        width,
        height,
    })
}

#[derive(Clone, Copy)]
enum Output {
    Jpeg(u8),
    Other(SourceFormat),
}

/// A decoded source.
struct Decoded {
    pixels: Pixels,
    /// The source's chroma subsampling when it is a JPEG.
    jpeg_subsamp: Option<turbojpeg::Subsamp>,
    /// The source's ICC profile, where the decoder reports it (PNG, TIFF, WebP).
    icc: Option<Vec<u8>>,
}

/// Refuses images too large to decode safely.
fn check_size(width: u64, height: u64) -> Result<(), ImagingError> {
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(ImagingError::TooLarge { width, height });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
