//! Why an image could not be processed, in words a user can act on.

use thiserror::Error;

use crate::{MAX_PIXELS, SourceFormat};

/// Why an image could not be processed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ImagingError {
    /// Not a file Datamill reads (`None`: not an image at all by its first bytes).
    #[error("unsupported source format: {}", unsupported(*.0))]
    UnsupportedFormat(Option<SourceFormat>),
    /// The file is corrupt or truncated, or uses a feature the decoder lacks.
    #[error("cannot decode {format}: {message}")]
    Decode {
        format: SourceFormat,
        message: String,
    },
    /// The encoder refused the pixels.
    #[error("cannot encode {format}: {message}")]
    Encode {
        format: SourceFormat,
        message: String,
    },
    /// JPEG output was asked for a 16-bit source.
    #[error(
        "16-bit image cannot be re-encoded as JPEG (JPEG holds 8 bits per sample); leave change_compression out for this source"
    )]
    SixteenBitJpeg,
    /// The samples are of a kind the pixel operations do not handle (e.g. 32-bit float TIFF).
    #[error(
        "cannot process {format} with {kind} samples; only 8- and 16-bit integer images are supported"
    )]
    UnsupportedSamples { format: SourceFormat, kind: String },
    /// A JPEG quality outside 1..=100.
    #[error("JPEG quality must be between 1 and 100, got {0}")]
    Quality(u8),
    /// A [`crate::PixelOp::FillRuns`] mask whose runs do not add up to the image's size.
    #[error(
        "FillRuns mask covers {covered} pixels but the image has {width} x {height} = {expected}; the mask must be made for this image's display size"
    )]
    MaskSize {
        covered: u64,
        expected: u64,
        width: u32,
        height: u32,
    },
    /// A preview of no size was asked for.
    #[error("a preview needs a size of at least 1 pixel")]
    PreviewSize,
    /// The resizer refused the pixels (a bug, not a property of the file).
    #[error("cannot resize the image: {0}")]
    Resize(String),
    /// More than [`MAX_PIXELS`] pixels.
    #[error(
        "image is {width} x {height} pixels, more than the {MAX_PIXELS} pixels Datamill decodes"
    )]
    TooLarge { width: u64, height: u64 },
}

fn unsupported(format: Option<SourceFormat>) -> String {
    match format {
        Some(format) => format!(
            "{format} files are not processed (Datamill processes JPEG, PNG, BMP, TIFF and WebP)"
        ),
        None => "not a JPEG, PNG, BMP, TIFF or WebP file (unknown magic bytes)".to_owned(),
    }
}
