//! JPEG through libjpeg-turbo: decode, encode, and the lossless 180° turn.
//!
//! One decompressor, compressor and transformer per thread, made on first use and reused while
//! calls succeed; a handle whose call failed is dropped, because libjpeg leaves state behind after
//! an error (a header read after a failed one can come back "successful" with no size). Every
//! parameter used is set on every call, so a reused handle gives the same bytes as a new one.

use std::cell::Cell;
use std::thread::LocalKey;

use turbojpeg::{
    Colorspace, Compressor, Decompressor, Image, PixelFormat, ScalingFactor, Subsamp, Transform,
    TransformOp, Transformer,
};

use crate::pixels::{Layout, Pixels, Samples};
use crate::{Decoded, ImagingError, Processed, Route, SourceFormat, check_size, orientation};

/// Progressive scans allowed in one file: far more than any encoder writes, few enough to stop
/// files crafted to take minutes to decode.
pub(crate) const SCAN_LIMIT: u32 = 1000;

thread_local! {
    static DECOMPRESSOR: Cell<Option<Decompressor>> = const { Cell::new(None) };
    static COMPRESSOR: Cell<Option<Compressor>> = const { Cell::new(None) };
    static TRANSFORMER: Cell<Option<Transformer>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's handle (made by `new` if there is none), which is kept for the
/// next call only when `f` succeeds.
fn with_handle<H: 'static, R>(
    key: &'static LocalKey<Cell<Option<H>>>,
    new: impl FnOnce() -> turbojpeg::Result<H>,
    f: impl FnOnce(&mut H) -> turbojpeg::Result<R>,
) -> turbojpeg::Result<R> {
    let mut handle = match key.take() {
        Some(handle) => handle,
        None => new()?,
    };
    let result = f(&mut handle);
    if result.is_ok() {
        key.set(Some(handle));
    }
    result
}

fn new_decompressor() -> turbojpeg::Result<Decompressor> {
    let mut decompressor = Decompressor::new()?;
    decompressor.set_scan_limit(SCAN_LIMIT)?;
    Ok(decompressor)
}

/// libjpeg-turbo's own message, without the crate's "TurboJPEG error: " prefix.
fn message(error: &turbojpeg::Error) -> String {
    match error {
        turbojpeg::Error::TurboJpegError(message) => message.clone(),
        other => other.to_string(),
    }
}

fn decode_error(error: &turbojpeg::Error) -> ImagingError {
    let message = match error {
        // A header read that "succeeds" without a size (-1): a tables-only or empty stream.
        turbojpeg::Error::IntegerOverflow("width" | "height") => {
            "the file ends before its image (no frame or scan header)".to_owned()
        }
        other => message(other),
    };
    ImagingError::Decode {
        format: SourceFormat::Jpeg,
        message,
    }
}

fn encode_error(error: &turbojpeg::Error) -> ImagingError {
    ImagingError::Encode {
        format: SourceFormat::Jpeg,
        message: message(error),
    }
}

/// The file's header, or why it is not a JPEG libjpeg-turbo reads.
pub(crate) fn read_header(source: &[u8]) -> Result<turbojpeg::DecompressHeader, ImagingError> {
    with_handle(&DECOMPRESSOR, new_decompressor, |decompressor| {
        decompressor.read_header(source)
    })
    .map_err(|e| decode_error(&e))
}

/// The header of a JPEG whose size [`check_size`] allows (checked before any pixel memory).
pub(crate) fn checked_header(source: &[u8]) -> Result<turbojpeg::DecompressHeader, ImagingError> {
    let header = read_header(source)?;
    check_size(header.width as u64, header.height as u64)?;
    Ok(header)
}

/// Turns the JPEG by 180° `odd` times losslessly, or returns `None` when that is not possible
/// (partial MCUs at the edges, or a file `tjTransform` refuses): the caller then decodes.
pub(crate) fn rotate_losslessly(
    source: &[u8],
    even: bool,
    orientation: u8,
) -> Result<Option<Processed>, ImagingError> {
    let header = checked_header(source)?;
    let (width, height) =
        orientation::display_size(header.width as u32, header.height as u32, orientation);
    let done = |bytes, route| Processed {
        bytes,
        format: SourceFormat::Jpeg,
        lossless: true,
        route,
        width,
        height,
    };
    if even {
        return Ok(Some(done(source.to_vec(), Route::Unchanged)));
    }
    let (mcu_width, mcu_height) = header.subsamp.mcu_size();
    if header.subsamp == Subsamp::Unknown
        || !header.width.is_multiple_of(mcu_width)
        || !header.height.is_multiple_of(mcu_height)
    {
        return Ok(None);
    }
    let mut transform = Transform::op(TransformOp::Rot180);
    // Refuse partial MCUs instead of leaving them unturned (checked above, so this is a guard).
    transform.perfect = true;
    let turned = with_handle(&TRANSFORMER, Transformer::new, |transformer| {
        transformer.transform_to_vec(&transform, source)
    });
    // A file the transformer refuses (corrupt data, a warning) goes the decoding way, which
    // says what is wrong with it or re-encodes what can be read.
    Ok(turned.ok().map(|bytes| done(bytes, Route::LosslessTurn)))
}

/// Decodes a JPEG to 8-bit grey or RGB; CMYK/YCCK files go through `image` (which converts
/// them to RGB).
pub(crate) fn decode(source: &[u8]) -> Result<Decoded, ImagingError> {
    decode_scaled(source, ScalingFactor::ONE)
}

/// The scaling factors libjpeg-turbo decodes at below 1, smallest first, as it names them
/// (reduced fractions: it refuses `2/8`).
const REDUCTIONS: [(usize, usize); 7] = [(1, 8), (1, 4), (3, 8), (1, 2), (5, 8), (3, 4), (7, 8)];

/// The smallest DCT scaling factor at which a `width × height` JPEG decodes to at least
/// `min_width × min_height` (1 when none is smaller, or for lossless JPEGs, which cannot scale).
pub(crate) fn reduction(
    header: &turbojpeg::DecompressHeader,
    min_width: usize,
    min_height: usize,
) -> ScalingFactor {
    if header.is_lossless {
        return ScalingFactor::ONE;
    }
    REDUCTIONS
        .iter()
        .map(|&(num, denom)| ScalingFactor::new(num, denom))
        .find(|factor| {
            factor.scale(header.width) >= min_width && factor.scale(header.height) >= min_height
        })
        .unwrap_or(ScalingFactor::ONE)
}

/// [`decode`] at a DCT scaling factor (libjpeg-turbo skips the work for the pixels it leaves
/// out: 1/8 decodes DC coefficients only). The handle is set back to 1 before it is kept, so
/// the next call on this thread decodes at full size unless it asks otherwise. CMYK/YCCK files
/// decode at full size through `image`.
pub(crate) fn decode_scaled(source: &[u8], factor: ScalingFactor) -> Result<Decoded, ImagingError> {
    let header = checked_header(source)?;
    let layout = match header.colorspace {
        Colorspace::Gray => Layout::Grey,
        Colorspace::YCbCr | Colorspace::RGB => Layout::Rgb,
        Colorspace::CMYK | Colorspace::YCCK => {
            let mut decoded = crate::other::decode(source, SourceFormat::Jpeg)?;
            decoded.jpeg_subsamp = Some(header.subsamp);
            decoded.icc = None;
            return Ok(decoded);
        }
    };
    let channels = layout.channels();
    let (width, height) = (factor.scale(header.width), factor.scale(header.height));
    let mut data = vec![0u8; width * height * channels];
    let image = Image {
        pixels: data.as_mut_slice(),
        width,
        pitch: width * channels,
        height,
        format: if layout == Layout::Grey {
            PixelFormat::GRAY
        } else {
            PixelFormat::RGB
        },
    };
    match with_handle(&DECOMPRESSOR, new_decompressor, |decompressor| {
        decompressor.set_scaling_factor(factor)?;
        let decoded = decompressor.decompress(source, image);
        // Kept for the next call only when this succeeds too.
        decompressor.set_scaling_factor(ScalingFactor::ONE)?;
        decoded
    }) {
        Ok(()) => {}
        Err(error) if harmless_warning(&error) => {}
        Err(error) => return Err(decode_error(&error)),
    }
    Ok(Decoded {
        pixels: Pixels {
            width: width as u32,
            height: height as u32,
            layout,
            samples: Samples::U8(data),
        },
        jpeg_subsamp: Some(header.subsamp),
        icc: None,
    })
}

/// libjpeg-turbo reports warnings as errors after decoding the whole image. A file truncated
/// or with corrupt entropy-coded data is an error here (as in Pillow), but junk bytes between
/// the last scan and the end marker (written by some cameras, found in COCO) leave every pixel
/// intact and are let through.
fn harmless_warning(error: &turbojpeg::Error) -> bool {
    let message = error.to_string();
    message.contains("Corrupt JPEG data:")
        && message.contains("extraneous bytes before marker 0xd9")
}

/// Encodes 8-bit pixels as baseline JPEG: grey stays grey; colour uses the source JPEG's
/// subsampling when known, else 4:2:0; alpha is ignored.
pub(crate) fn encode(
    pixels: &Pixels,
    quality: u8,
    source_subsamp: Option<Subsamp>,
) -> Result<Vec<u8>, ImagingError> {
    let Samples::U8(data) = &pixels.samples else {
        return Err(ImagingError::SixteenBitJpeg);
    };
    let grey_of_grey_alpha: Vec<u8>;
    let (data, format) = match pixels.layout {
        Layout::Grey => (data.as_slice(), PixelFormat::GRAY),
        Layout::GreyAlpha => {
            grey_of_grey_alpha = data.iter().step_by(2).copied().collect();
            (grey_of_grey_alpha.as_slice(), PixelFormat::GRAY)
        }
        Layout::Rgb => (data.as_slice(), PixelFormat::RGB),
        Layout::Rgba => (data.as_slice(), PixelFormat::RGBX),
    };
    let subsamp = if format == PixelFormat::GRAY {
        Subsamp::Gray
    } else {
        match source_subsamp {
            Some(Subsamp::Gray | Subsamp::Unknown) | None => Subsamp::Sub2x2,
            Some(subsamp) => subsamp,
        }
    };
    let width = pixels.width as usize;
    let image = Image {
        pixels: data,
        width,
        pitch: width * format.size(),
        height: pixels.height as usize,
        format,
    };
    with_handle(&COMPRESSOR, Compressor::new, |compressor| {
        compressor.set_quality(i32::from(quality))?;
        compressor.set_subsamp(subsamp)?;
        compressor.compress_to_vec(image)
    })
    .map_err(|e| encode_error(&e))
}

/// Re-encodes a JPEG, turned by 180° or not, without leaving its YCbCr planes: no chroma
/// upsampling, colour conversion or downsampling on the way, so it is faster than going
/// through RGB and loses less (only the new quantisation). Possible when the planes turn
/// exactly: a YCbCr or grey JPEG whose size is a whole number of chroma samples (even for
/// 4:2:0). `None` otherwise (the caller goes through RGB).
pub(crate) fn recode_planes(
    source: &[u8],
    turn: bool,
    quality: u8,
) -> Result<Option<Processed>, ImagingError> {
    let header = checked_header(source)?;
    if !matches!(header.colorspace, Colorspace::YCbCr | Colorspace::Gray)
        || header.subsamp == Subsamp::Unknown
    {
        return Ok(None);
    }
    let (mcu_width, mcu_height) = header.subsamp.mcu_size();
    // One chroma sample covers mcu/8 pixels each way.
    let (x_factor, y_factor) = (mcu_width / 8, mcu_height / 8);
    if !header.width.is_multiple_of(x_factor) || !header.height.is_multiple_of(y_factor) {
        return Ok(None);
    }
    let length = turbojpeg::yuv_pixels_len(header.width, 1, header.height, header.subsamp)
        .map_err(|e| decode_error(&e))?;
    let mut planes = vec![0u8; length];
    let image = turbojpeg::YuvImage {
        pixels: planes.as_mut_slice(),
        width: header.width,
        align: 1,
        height: header.height,
        subsamp: header.subsamp,
    };
    match with_handle(&DECOMPRESSOR, new_decompressor, |decompressor| {
        decompressor.decompress_to_yuv(source, image)
    }) {
        Ok(()) => {}
        Err(error) if harmless_warning(&error) => {}
        Err(error) => return Err(decode_error(&error)),
    }
    if turn {
        // With no row padding each plane is one run of samples in raster order; read
        // backwards it is the plane turned by 180°.
        let luma = header.width * header.height;
        let (y, chroma) = planes.split_at_mut(luma.min(length));
        y.reverse();
        if !chroma.is_empty() {
            let (u, v) = chroma.split_at_mut(chroma.len() / 2);
            u.reverse();
            v.reverse();
        }
    }
    let image = turbojpeg::YuvImage {
        pixels: planes.as_slice(),
        width: header.width,
        align: 1,
        height: header.height,
        subsamp: header.subsamp,
    };
    let bytes = with_handle(&COMPRESSOR, Compressor::new, |compressor| {
        compressor.set_quality(i32::from(quality))?;
        compressor.set_subsamp(header.subsamp)?;
        compressor.compress_yuv_to_vec(image)
    })
    .map_err(|e| encode_error(&e))?;
    Ok(Some(Processed {
        bytes,
        format: SourceFormat::Jpeg,
        lossless: false,
        route: Route::Planes,
        width: header.width as u32,
        height: header.height as u32,
    }))
}
