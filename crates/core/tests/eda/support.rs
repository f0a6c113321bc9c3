//! Images and datasets made in code.

use std::io::Cursor;
use std::path::Path;

use datamill_core::eda::{self, EdaOptions, EdaReport, NoProgress};
use datamill_core::{AnnotationFormat, Files};
use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageBuffer, ImageFormat, Luma, Rgb};

/// A JPEG of `width × height` with texture (so that its entropy-coded data is long), coloured
/// by `seed`.
pub(crate) fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let image = ImageBuffer::from_fn(width, height, |x, y| {
        let noise = ((x * 7919 + y * 104_729 + u32::from(seed) * 31) % 97) as u8;
        Rgb([
            seed.wrapping_mul(37).wrapping_add(noise),
            (x * 2) as u8,
            (y * 3) as u8,
        ])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode(image.as_raw(), width, height, ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// `jpeg` with an EXIF APP1 segment whose orientation is `orientation`, right after SOI.
pub(crate) fn with_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2A\x00\x00\x00\x08\x00\x01".to_vec();
    tiff.extend([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]);
    tiff.extend([0x00, orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    let mut segment = b"Exif\x00\x00".to_vec();
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(segment.len() + 2).unwrap().to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

pub(crate) fn png_rgb(width: u32, height: u32) -> Vec<u8> {
    let image = ImageBuffer::from_fn(width, height, |x, y| Rgb([x as u8, y as u8, 128u8]));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A 16-bit grey PNG whose pixel values are `value(x, y)`.
pub(crate) fn png16(width: u32, height: u32, value: impl Fn(u32, u32) -> u16) -> Vec<u8> {
    let image = ImageBuffer::from_fn(width, height, |x, y| Luma([value(x, y)]));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

pub(crate) fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The report of the dataset at `dir`, read from the local filesystem.
pub(crate) fn analyse(dir: &Path, format: AnnotationFormat) -> EdaReport {
    eda::analyse(
        Files::local(),
        dir,
        format,
        &EdaOptions::default(),
        &NoProgress,
    )
    .expect("analyses")
}

/// `(first, second)` of each pair, for compact assertions.
pub(crate) fn names(examples: &[datamill_core::eda::HealthExample]) -> Vec<&str> {
    examples.iter().map(|e| e.file_name.as_str()).collect()
}
