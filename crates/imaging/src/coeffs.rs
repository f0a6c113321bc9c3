//! JPEG → JPEG in the DCT domain: the source's quantised coefficients are turned by 180° (or
//! not) and requantised for the new quality, then entropy-coded again. No IDCT, FDCT, colour
//! conversion or chroma resampling: what is left is Huffman decoding and encoding, most of the
//! full path's cost, so it is about 1.5–1.8× as fast, and it loses nothing but the new
//! quantisation.
//!
//! * **Requantisation.** Each coefficient is dequantised with the source's table and quantised
//!   with the standard table for the quality (what `jpeg_set_quality(q, TRUE)` and so the full
//!   path's encoder use), rounded to nearest, ties to even. At the source's own quality and
//!   tables this is the identity. Measured against the image before its first encoding it is
//!   as good as re-encoding decoded pixels or better (it never sees the decoder's rounding
//!   and clamping); the tests print the PSNR tables.
//! * **180° turn.** Block (x, y) moves to (w − 1 − x, h − 1 − y) and coefficient (u, v) of each
//!   block is negated when u + v is odd: cos((2(7 − x) + 1)uπ/16) = (−1)^u cos((2x + 1)uπ/16).
//!   Exact only when every plane is a whole number of blocks both ways (for the standard
//!   layouts: the image is a whole number of MCUs); otherwise [`recode`] returns `None`.
//! * **What takes this way** (else `None`, and the caller re-encodes from planes or pixels): an
//!   8-bit YCbCr or grey JPEG, baseline, progressive or arithmetic-coded, laid out as
//!   TurboJPEG writes it (luma 1×1, 2×1, 2×2, 1×2, 4×1 or 1×4 with 1×1 chroma; grey 1×1), whose
//!   data reads without a warning other than junk before the end marker. A file with corrupt
//!   data also gets `None`: the full path then decodes it and reports (or tolerates) the damage
//!   in exactly the words and ways it always has.
//! * **Output** is what the full path's TurboJPEG encoder writes: baseline, JFIF 1.01 with
//!   density 1:1, standard Huffman tables, the source's chroma subsampling, no other markers.
//!
//! The work happens in one call into `csrc/coeffs.c`, whose libjpeg error handler longjmps
//! back inside that call: no jump crosses a Rust frame.

#![expect(
    unsafe_code,
    reason = "the FFI call into csrc/coeffs.c; its contract is stated at the call"
)]

use std::ffi::{CStr, c_char, c_int, c_uint, c_ulonglong};

use crate::jpeg::{SCAN_LIMIT, checked_header};
use crate::{ImagingError, MAX_PIXELS, Processed, Route, SourceFormat};

/// `struct dm_request` of `csrc/coeffs.h`.
#[repr(C)]
struct DmRequest {
    source: *const u8,
    length: usize,
    quality: c_int,
    turn: c_int,
    max_pixels: c_ulonglong,
    scan_limit: c_int,
}

/// `struct dm_result` of `csrc/coeffs.h`.
#[repr(C)]
struct DmResult {
    data: *mut u8,
    size: usize,
    width: c_uint,
    height: c_uint,
    status: c_int,
    message: [c_char; 200],
}

const DM_OK: c_int = 0;
const DM_INELIGIBLE: c_int = 1;
const DM_TOO_LARGE: c_int = 2;
const DM_DECODE: c_int = 3;

unsafe extern "C" {
    fn dm_transcode(request: *const DmRequest, result: *mut DmResult);
    fn dm_free(data: *mut u8);
}

/// What the C side made of a file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Transcoded {
    Done {
        bytes: Vec<u8>,
        width: u32,
        height: u32,
    },
    /// Not a file for this way (layout, precision, a turn that is not exact, a component no
    /// scan carried); nothing was written.
    Ineligible,
    /// The data is damaged (libjpeg's first warning, or its error).
    Corrupt(String),
}

/// Runs the C transcode on any bytes. The pixel limit is checked by the C side too, after the
/// frame header and before the coefficients are allocated.
pub(crate) fn transcode(
    source: &[u8],
    turn: bool,
    quality: u8,
) -> Result<Transcoded, ImagingError> {
    let request = DmRequest {
        source: source.as_ptr(),
        length: source.len(),
        quality: c_int::from(quality),
        turn: c_int::from(turn),
        max_pixels: MAX_PIXELS,
        scan_limit: SCAN_LIMIT as c_int,
    };
    let mut result = DmResult {
        data: std::ptr::null_mut(),
        size: 0,
        width: 0,
        height: 0,
        status: DM_INELIGIBLE,
        message: [0; 200],
    };
    // SAFETY: `request` points at `source.len()` readable bytes that outlive the call (C only
    // reads them), and `result` is a valid, exclusively borrowed `dm_result`. The C function
    // catches every libjpeg error inside itself and returns normally.
    unsafe { dm_transcode(&raw const request, &raw mut result) };
    let message = || {
        let bytes: Vec<u8> = result.message.iter().map(|c| *c as u8).collect();
        CStr::from_bytes_until_nul(&bytes).map_or_else(
            |_| "unknown libjpeg error".to_owned(),
            |message| message.to_string_lossy().into_owned(),
        )
    };
    match result.status {
        DM_OK => {
            // SAFETY: with DM_OK, `data` points at `size` initialised bytes that C allocated
            // for us and nothing else refers to; they are copied, then released once.
            let bytes = unsafe { std::slice::from_raw_parts(result.data, result.size) }.to_vec();
            unsafe { dm_free(result.data) };
            Ok(Transcoded::Done {
                bytes,
                width: result.width,
                height: result.height,
            })
        }
        DM_INELIGIBLE => Ok(Transcoded::Ineligible),
        DM_TOO_LARGE => Err(ImagingError::TooLarge {
            width: u64::from(result.width),
            height: u64::from(result.height),
        }),
        DM_DECODE => Ok(Transcoded::Corrupt(message())),
        _ => Err(ImagingError::Encode {
            format: SourceFormat::Jpeg,
            message: message(),
        }),
    }
}

/// Re-encodes a JPEG at `quality` in the DCT domain, turned by 180° when `turn`; `None` when
/// the file does not take this way (see the module's doc), for the caller to go the full way.
pub(crate) fn recode(
    source: &[u8],
    turn: bool,
    quality: u8,
) -> Result<Option<Processed>, ImagingError> {
    let header = checked_header(source)?;
    // libjpeg's coefficient API refuses lossless (SOF3) files; they have no coefficients.
    if header.is_lossless {
        return Ok(None);
    }
    Ok(match transcode(source, turn, quality)? {
        Transcoded::Done {
            bytes,
            width,
            height,
        } => Some(Processed {
            bytes,
            format: SourceFormat::Jpeg,
            lossless: false,
            route: Route::Coefficients,
            width,
            height,
        }),
        Transcoded::Ineligible | Transcoded::Corrupt(_) => None,
    })
}

#[cfg(test)]
mod tests;
