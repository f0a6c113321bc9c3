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

/// The EXIF orientation (tag 0x0112, 1..=8) a viewer applies to the file, from the bytes given
/// (a header is enough when the EXIF block lies in it): a JPEG's APP1 `Exif` segment, a PNG's
/// `eXIf` chunk, a WebP's `EXIF` chunk, or a TIFF's first IFD. `None` when there is no such tag,
/// its value is outside 1..=8, or the block is not in `bytes`.
#[must_use]
pub fn exif_orientation(bytes: &[u8]) -> Option<u8> {
    let tiff = match sniff(bytes)? {
        SourceFormat::Jpeg => jpeg_exif(bytes)?,
        SourceFormat::Png => png_exif(bytes)?,
        SourceFormat::Webp => webp_exif(bytes)?,
        SourceFormat::Tiff => bytes,
        SourceFormat::Bmp | SourceFormat::Gif => return None,
    };
    tiff_orientation(tiff)
}

/// The TIFF block of a JPEG's APP1 `Exif` segment (before the first scan).
fn jpeg_exif(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        // Start of scan or end of image: no APP1 comes after it.
        if matches!(marker, 0xDA | 0xD9) {
            return None;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if length < 2 {
            return None;
        }
        let segment = bytes.get(at + 4..at + 2 + length)?;
        if marker == 0xE1
            && let Some(tiff) = segment.strip_prefix(b"Exif\0\0")
        {
            return Some(tiff);
        }
        at += 2 + length;
    }
    None
}

/// The data of a PNG's `eXIf` chunk (a TIFF block).
fn png_exif(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let kind = &bytes[at + 4..at + 8];
        if kind == b"IEND" {
            return None;
        }
        if kind == b"eXIf" {
            return bytes.get(at + 8..(at + 8).checked_add(length)?);
        }
        // Data, then the CRC.
        at = at.checked_add(12)?.checked_add(length)?;
    }
    None
}

/// The data of a WebP's `EXIF` chunk, without the `Exif\0\0` prefix some writers put first.
fn webp_exif(bytes: &[u8]) -> Option<&[u8]> {
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let length = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().ok()?) as usize;
        if &bytes[at..at + 4] == b"EXIF" {
            let data = bytes.get(at + 8..(at + 8).checked_add(length)?)?;
            return Some(data.strip_prefix(b"Exif\0\0").unwrap_or(data));
        }
        // Chunks are padded to an even length.
        at = at.checked_add(8)?.checked_add(length + (length & 1))?;
    }
    None
}

/// The Orientation tag of the first IFD of a TIFF block.
fn tiff_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let bytes: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(bytes)
        } else {
            u16::from_be_bytes(bytes)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(bytes)
        } else {
            u32::from_be_bytes(bytes)
        })
    };
    let ifd = u32_at(4)? as usize;
    let entries = usize::from(u16_at(ifd)?);
    for index in 0..entries {
        let entry = ifd.checked_add(2 + index * 12)?;
        if u16_at(entry)? == 0x0112 {
            // A SHORT, left-aligned in the value field.
            let value = u16_at(entry + 8)?;
            return u8::try_from(value).ok().filter(|v| (1..=8).contains(v));
        }
    }
    None
}
