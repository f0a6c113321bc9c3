//! What a file is, from its first bytes.

use crate::SourceFormat;

/// The container format from magic bytes.
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<SourceFormat> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(SourceFormat::Jpeg),
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(SourceFormat::Png),
        [b'B', b'M', ..] => Some(SourceFormat::Bmp),
        [b'I', b'I', 0x2A, 0x00, ..] | [b'M', b'M', 0x00, 0x2A, ..] => Some(SourceFormat::Tiff),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some(SourceFormat::Webp),
        [b'G', b'I', b'F', b'8', ..] => Some(SourceFormat::Gif),
        _ => None,
    }
}

/// Bits per sample of an image from its header only: PNG `IHDR` bit depth, TIFF
/// `BitsPerSample` (first IFD), JPEG frame precision (SOF), 8 for BMP, WebP and GIF. `None`
/// when unknown: not an image, or the needed bytes are not in `header` (a TIFF whose first IFD
/// lies beyond it, a JPEG whose frame header comes after a long EXIF block).
#[must_use]
pub fn bit_depth(header: &[u8]) -> Option<u8> {
    match sniff(header)? {
        // Signature (8), IHDR length (4) and type (4), width and height (8), then the bit depth.
        SourceFormat::Png => (header.get(12..16)? == b"IHDR")
            .then(|| header.get(24).copied())
            .flatten(),
        SourceFormat::Tiff => tiff_bits(header),
        SourceFormat::Jpeg => jpeg_precision(header),
        // Palette entries and 24/32-bit pixels are 8 bits per sample; 16-bit BMP is 5-6-5.
        SourceFormat::Bmp => {
            let bits = u16::from_le_bytes(header.get(28..30)?.try_into().ok()?);
            matches!(bits, 1 | 4 | 8 | 24 | 32).then_some(8)
        }
        SourceFormat::Webp | SourceFormat::Gif => Some(8),
    }
}

fn tiff_bits(header: &[u8]) -> Option<u8> {
    let little = header.first()? == &b'I';
    let u16_at = |at: usize| -> Option<u16> {
        let bytes: [u8; 2] = header.get(at..at + 2)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(bytes)
        } else {
            u16::from_be_bytes(bytes)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = header.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(bytes)
        } else {
            u32::from_be_bytes(bytes)
        })
    };
    let ifd = u32_at(4)? as usize;
    let entries = usize::from(u16_at(ifd)?);
    for index in 0..entries {
        let entry = ifd + 2 + index * 12;
        if u16_at(entry)? == 258 {
            let count = u32_at(entry + 4)?;
            // One or two SHORT values fit in the entry; more are stored at an offset.
            let value_at = if count <= 2 {
                entry + 8
            } else {
                u32_at(entry + 8)? as usize
            };
            return u8::try_from(u16_at(value_at)?).ok();
        }
    }
    // No BitsPerSample tag: the TIFF default is 1 bit (bilevel).
    Some(1)
}

fn jpeg_precision(header: &[u8]) -> Option<u8> {
    let mut at = 2;
    while at + 4 < header.len() {
        if header[at] != 0xFF {
            return None;
        }
        let marker = header[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([header[at + 2], header[at + 3]]));
        // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return header.get(at + 4).copied();
        }
        at += 2 + length;
    }
    None
}
