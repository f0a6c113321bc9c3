//! Image sizes from file headers only (no pixel decoding), with EXIF orientation.
//!
//! YOLO and VisDrone store no image sizes, so turning their normalised or pixel coordinates into
//! the other convention needs the size of every image; decoding 118,000 JPEGs for that would take
//! minutes, reading their headers takes seconds. Like Ultralytics (`exif_size`), a JPEG whose EXIF
//! orientation is 5–8 (a quarter turn) is reported with width and height swapped: that is the
//! image the annotator saw.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;

use crate::files::Files;

/// File extensions Datamill treats as images (lower case).
pub const IMAGE_EXTENSIONS: [&str; 9] = [
    "jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "gif", "jfif",
];

/// Whether a path has an image extension (any case).
#[must_use]
pub fn is_image_path(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            IMAGE_EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// Stored width in pixels (before orientation).
    pub stored_width: u32,
    pub stored_height: u32,
    /// EXIF orientation 1–8 (1 when absent).
    pub orientation: u8,
}

impl ImageInfo {
    /// The size as displayed: width and height swapped for orientations 5–8.
    #[must_use]
    pub fn display_size(&self) -> (u32, u32) {
        if (5..=8).contains(&self.orientation) {
            (self.stored_height, self.stored_width)
        } else {
            (self.stored_width, self.stored_height)
        }
    }
}

/// Why a header could not be read.
#[derive(Debug, Error)]
pub enum ImageInfoError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path} is not an image Datamill can read the size of ({reason})")]
    Unrecognised { path: PathBuf, reason: String },
}

// Enough for the SOF marker of every real JPEG we have seen, EXIF thumbnails included; larger
// headers fall back to reading the whole file.
const HEADER_BYTES: usize = 256 * 1024;

/// Reads the size and orientation of one image from its header (the first bytes of the file;
/// the whole file only when the header is larger).
pub fn probe(files: Files<'_>, path: &Path) -> Result<ImageInfo, ImageInfoError> {
    let io_error = |source| ImageInfoError::Io {
        path: path.to_owned(),
        source,
    };
    let mut header = files
        .read_range(path, 0, HEADER_BYTES as u64)
        .map_err(io_error)?;
    let size = match imagesize::blob_size(&header) {
        Ok(size) => size,
        Err(_) if header.len() == HEADER_BYTES => {
            header = files.read(path).map_err(io_error)?;
            imagesize::blob_size(&header).map_err(|e| ImageInfoError::Unrecognised {
                path: path.to_owned(),
                reason: e.to_string(),
            })?
        }
        Err(e) => {
            return Err(ImageInfoError::Unrecognised {
                path: path.to_owned(),
                reason: e.to_string(),
            });
        }
    };
    let to_u32 = |value: usize| u32::try_from(value).unwrap_or(u32::MAX);
    if size.width == 0 || size.height == 0 {
        return Err(ImageInfoError::Unrecognised {
            path: path.to_owned(),
            reason: "the header gives a size of zero".to_owned(),
        });
    }
    Ok(ImageInfo {
        stored_width: to_u32(size.width),
        stored_height: to_u32(size.height),
        orientation: jpeg_orientation(&header).unwrap_or(1),
    })
}

/// Probes many images on all cores, keeping the input order.
#[must_use]
pub fn probe_all(files: Files<'_>, paths: &[PathBuf]) -> Vec<Result<ImageInfo, ImageInfoError>> {
    paths.par_iter().map(|path| probe(files, path)).collect()
}

/// The EXIF orientation tag of a JPEG, if it has one.
#[must_use]
pub fn jpeg_orientation(bytes: &[u8]) -> Option<u8> {
    if bytes.get(0..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut position = 2;
    while position + 4 <= bytes.len() {
        if bytes[position] != 0xFF {
            return None;
        }
        let marker = bytes[position + 1];
        if marker == 0xFF {
            position += 1;
            continue;
        }
        // Start of scan or of frame data: no APP1 comes after it.
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let length = usize::from(u16::from_be_bytes([
            bytes[position + 2],
            bytes[position + 3],
        ]));
        if length < 2 {
            return None;
        }
        let segment = bytes.get(position + 4..position + 2 + length)?;
        if marker == 0xE1 && segment.starts_with(b"Exif\0\0") {
            return tiff_orientation(&segment[6..]);
        }
        position += 2 + length;
    }
    None
}

fn tiff_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let read_u16 = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at + 2)?;
        Some(if little {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    };
    let read_u32 = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at + 4)?;
        Some(if little {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        } else {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        })
    };
    let ifd = read_u32(4)? as usize;
    let entries = usize::from(read_u16(ifd)?);
    for index in 0..entries {
        let entry = ifd + 2 + index * 12;
        if read_u16(entry)? == 0x0112 {
            let value = read_u16(entry + 8)?;
            return u8::try_from(value).ok().filter(|v| (1..=8).contains(v));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_orientation(orientation: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&1_u16.to_be_bytes());
        tiff.extend_from_slice(&0x0112_u16.to_be_bytes());
        tiff.extend_from_slice(&3_u16.to_be_bytes());
        tiff.extend_from_slice(&1_u32.to_be_bytes());
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let mut segment = b"Exif\0\0".to_vec();
        segment.extend(tiff);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
        jpeg.extend_from_slice(&((segment.len() + 2) as u16).to_be_bytes());
        jpeg.extend(segment);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
        jpeg
    }

    #[test]
    fn reads_the_exif_orientation_of_a_jpeg() {
        assert_eq!(jpeg_orientation(&jpeg_with_orientation(6)), Some(6));
        assert_eq!(jpeg_orientation(&jpeg_with_orientation(1)), Some(1));
        assert_eq!(jpeg_orientation(b"\x89PNG"), None);
    }

    #[test]
    fn quarter_turns_swap_the_displayed_size() {
        let info = ImageInfo {
            stored_width: 640,
            stored_height: 480,
            orientation: 6,
        };
        assert_eq!(info.display_size(), (480, 640));
    }
}
