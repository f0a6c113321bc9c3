#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use proptest::prelude::*;
use turbojpeg::{PixelFormat, Subsamp};

use super::*;
use crate::pixels::{Layout, Samples};

// ---------------------------------------------------------------------------------------------
// Sources made in code.

/// A smooth gradient with some texture, encoded by libjpeg-turbo.
fn jpeg(width: u32, height: u32, quality: u8, subsamp: Subsamp) -> Vec<u8> {
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let noise = ((x * 7919 + y * 104_729) % 23) as u8;
            data.extend([
                (x * 255 / width.max(1)) as u8,
                (y * 255 / height.max(1)) as u8,
                noise.wrapping_mul(11),
            ]);
        }
    }
    let format = if subsamp == Subsamp::Gray {
        data = data.chunks(3).map(|p| p[0] / 2 + p[1] / 2).collect();
        PixelFormat::GRAY
    } else {
        PixelFormat::RGB
    };
    let image = turbojpeg::Image {
        pixels: data.as_slice(),
        width: width as usize,
        pitch: width as usize * format.size(),
        height: height as usize,
        format,
    };
    turbojpeg::compress(image, i32::from(quality), subsamp)
        .unwrap()
        .to_vec()
}

/// A minimal APP1 EXIF segment (big-endian TIFF, one IFD entry: Orientation) put after SOI.
fn with_exif_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2A\x00\x00\x00\x08\x00\x01".to_vec();
    tiff.extend([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]);
    tiff.extend([0x00, orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    let mut segment = b"Exif\x00\x00".to_vec();
    segment.extend(tiff);
    let length = u16::try_from(segment.len() + 2).unwrap();
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(length.to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

/// A test image: any layout, 8 or 16 bits, samples held as u16 whatever the depth.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Img {
    width: u32,
    height: u32,
    channels: usize,
    sixteen: bool,
    samples: Vec<u16>,
}

impl Img {
    fn new(width: u32, height: u32, channels: usize, sixteen: bool, seed: u64) -> Self {
        let mut state = seed | 1;
        let samples = (0..(width * height) as usize * channels)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let value = (state >> 33) as u16;
                if sixteen { value } else { value & 0xFF }
            })
            .collect();
        Self {
            width,
            height,
            channels,
            sixteen,
            samples,
        }
    }

    fn pixel(&self, x: u32, y: u32) -> &[u16] {
        let at = (y * self.width + x) as usize * self.channels;
        &self.samples[at..at + self.channels]
    }

    fn pixels(&self) -> Pixels {
        let layout =
            [Layout::Grey, Layout::GreyAlpha, Layout::Rgb, Layout::Rgba][self.channels - 1];
        let samples = if self.sixteen {
            Samples::U16(self.samples.clone())
        } else {
            Samples::U8(self.samples.iter().map(|v| *v as u8).collect())
        };
        Pixels {
            width: self.width,
            height: self.height,
            layout,
            samples,
        }
    }

    fn encode(&self, format: SourceFormat) -> Vec<u8> {
        other::encode(self.pixels(), format, None).unwrap()
    }

    /// Decodes with the `image` crate alone (not this crate's decoding code).
    fn load(bytes: &[u8]) -> Self {
        let image = image::load_from_memory(bytes).unwrap();
        let (width, height) = (image.width(), image.height());
        let channels = usize::from(image.color().channel_count());
        let sixteen = image.color().bytes_per_pixel() / image.color().channel_count() == 2;
        let samples = match image {
            image::DynamicImage::ImageLuma16(b) => b.into_raw(),
            image::DynamicImage::ImageLumaA16(b) => b.into_raw(),
            image::DynamicImage::ImageRgb16(b) => b.into_raw(),
            image::DynamicImage::ImageRgba16(b) => b.into_raw(),
            other => other.as_bytes().iter().map(|v| u16::from(*v)).collect(),
        };
        Self {
            width,
            height,
            channels,
            sixteen,
            samples,
        }
    }

    /// The pixel `(x, y)` of the result is the pixel `at(x, y)` of `self`.
    fn remapped(&self, width: u32, height: u32, at: impl Fn(u32, u32) -> (u32, u32)) -> Self {
        let mut samples = Vec::with_capacity(self.samples.len());
        for y in 0..height {
            for x in 0..width {
                let (sx, sy) = at(x, y);
                samples.extend_from_slice(self.pixel(sx, sy));
            }
        }
        Self {
            width,
            height,
            samples,
            ..self.clone()
        }
    }

    /// The image as a viewer shows it, straight from the EXIF definition.
    fn oriented(&self, orientation: u8) -> Self {
        let (w, h) = (self.width, self.height);
        match orientation {
            2 => self.remapped(w, h, |x, y| (w - 1 - x, y)),
            3 => self.remapped(w, h, |x, y| (w - 1 - x, h - 1 - y)),
            4 => self.remapped(w, h, |x, y| (x, h - 1 - y)),
            5 => self.remapped(h, w, |x, y| (y, x)),
            6 => self.remapped(h, w, |x, y| (y, h - 1 - x)),
            7 => self.remapped(h, w, |x, y| (w - 1 - y, h - 1 - x)),
            8 => self.remapped(h, w, |x, y| (w - 1 - y, x)),
            _ => self.clone(),
        }
    }

    /// The operation applied pixel by pixel, the plain way.
    fn apply(&self, op: &PixelOp) -> Self {
        let (w, h) = (self.width, self.height);
        match op {
            PixelOp::Rotate180 => self.remapped(w, h, |x, y| (w - 1 - x, h - 1 - y)),
            PixelOp::FillRect {
                x0,
                y0,
                x1,
                y1,
                color,
            } => self.filled(
                |x, y| (*x0..*x1).contains(&x) && (*y0..*y1).contains(&y),
                *color,
            ),
            PixelOp::FillRuns { counts, color } => {
                let mut mask = Vec::new();
                for (index, run) in counts.iter().enumerate() {
                    mask.extend(std::iter::repeat_n(index % 2 == 1, *run as usize));
                }
                self.filled(|x, y| mask[(x * h + y) as usize], *color)
            }
        }
    }

    fn filled(&self, inside: impl Fn(u32, u32) -> bool, [r, g, b]: [u8; 3]) -> Self {
        let luma = ((19_595 * u32::from(r) + 38_470 * u32::from(g) + 7_471 * u32::from(b) + 32_768)
            >> 16) as u16;
        let scale = if self.sixteen { 257 } else { 1 };
        let colour: Vec<u16> = match self.channels {
            1 => vec![luma],
            2 => vec![luma, 255],
            3 => vec![r.into(), g.into(), b.into()],
            _ => vec![r.into(), g.into(), b.into(), 255],
        }
        .into_iter()
        .map(|v| v * scale)
        .collect();
        let mut out = self.clone();
        for y in 0..self.height {
            for x in 0..self.width {
                if inside(x, y) {
                    let at = (y * self.width + x) as usize * self.channels;
                    out.samples[at..at + self.channels].copy_from_slice(&colour);
                }
            }
        }
        out
    }
}

/// Column-major RLE of a mask given in column-major order.
fn runs(mask: &[bool]) -> Vec<u32> {
    let mut counts = vec![0u32];
    let mut current = false;
    for bit in mask {
        if *bit != current {
            counts.push(0);
            current = *bit;
        }
        *counts.last_mut().unwrap() += 1;
    }
    counts
}

fn request<'a>(source: &'a [u8], ops: &'a [PixelOp], output: OutputEncoding) -> Request<'a> {
    Request {
        source,
        orientation: 1,
        ops,
        output,
    }
}

const SAME: OutputEncoding = OutputEncoding::SameAsSource { jpeg_quality: 90 };

fn decoded_jpeg(bytes: &[u8]) -> Pixels {
    jpeg::decode(bytes).unwrap().pixels
}

/// Decoded with plain (replicating) chroma upsampling, which a 180° turn mirrors exactly.
fn decoded_plainly(bytes: &[u8]) -> Pixels {
    let mut decompressor = turbojpeg::Decompressor::new().unwrap();
    decompressor.set_fast_upsample(true).unwrap();
    let header = decompressor.read_header(bytes).unwrap();
    let (layout, format) = if header.subsamp == Subsamp::Gray {
        (Layout::Grey, PixelFormat::GRAY)
    } else {
        (Layout::Rgb, PixelFormat::RGB)
    };
    let mut data = vec![0; header.width * header.height * format.size()];
    let image = turbojpeg::Image {
        pixels: data.as_mut_slice(),
        width: header.width,
        pitch: header.width * format.size(),
        height: header.height,
        format,
    };
    decompressor.decompress(bytes, image).unwrap();
    Pixels {
        width: header.width as u32,
        height: header.height as u32,
        layout,
        samples: Samples::U8(data),
    }
}

fn mean_difference(a: &Pixels, b: &Pixels) -> f64 {
    let (Samples::U8(a), Samples::U8(b)) = (&a.samples, &b.samples) else {
        panic!("8-bit expected");
    };
    let total: u64 = a
        .iter()
        .zip(b)
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    total as f64 / a.len() as f64
}

fn max_difference(a: &Pixels, b: &Pixels) -> u8 {
    assert_eq!((a.width, a.height, a.layout), (b.width, b.height, b.layout));
    let (Samples::U8(a), Samples::U8(b)) = (&a.samples, &b.samples) else {
        panic!("8-bit expected");
    };
    a.iter()
        .zip(b)
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap_or(0)
}

/// A PNG written by hand (stored deflate blocks): palette and low-bit-depth files, which the
/// `image` crate does not write.
fn handmade_png(
    width: u32,
    height: u32,
    bit_depth: u8,
    colour_type: u8,
    palette: &[u8],
    rows: &[Vec<u8>],
) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(out: &mut Vec<u8>, kind: [u8; 4], data: &[u8]) {
        out.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut raw = Vec::new();
    for row in rows {
        raw.push(0); // filter: none
        raw.extend(row);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    let mut zlib = vec![0x78, 0x01, 0x01];
    let length = u16::try_from(raw.len()).unwrap();
    zlib.extend(length.to_le_bytes());
    zlib.extend((!length).to_le_bytes());
    zlib.extend(&raw);
    zlib.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([bit_depth, colour_type, 0, 0, 0]);
    chunk(&mut out, *b"IHDR", &ihdr);
    if !palette.is_empty() {
        chunk(&mut out, *b"PLTE", palette);
    }
    chunk(&mut out, *b"IDAT", &zlib);
    chunk(&mut out, *b"IEND", &[]);
    out
}

// ---------------------------------------------------------------------------------------------
// The lossless JPEG turn and its fallback.

#[test]
fn an_mcu_aligned_jpeg_turns_losslessly_like_a_pixel_turn() {
    for (subsamp, width, height) in [
        (Subsamp::Sub2x2, 64, 48),
        (Subsamp::Sub2x1, 48, 40),
        (Subsamp::None, 40, 24),
        (Subsamp::Gray, 24, 16),
    ] {
        let source = jpeg(width, height, 90, subsamp);
        let done = process(&request(&source, &[PixelOp::Rotate180], SAME)).unwrap();
        assert!(done.lossless, "{subsamp:?}");
        assert_eq!(
            (done.width, done.height, done.format),
            (width, height, SourceFormat::Jpeg)
        );
        // Compared without libjpeg's "fancy" chroma upsampling, whose rounding leans one way
        // (it differs by up to 2 between an image and its turn); the IDCT's rounding may still
        // differ by 1.
        let mut expected = decoded_plainly(&source);
        expected.rotate_180();
        let got = decoded_plainly(&done.bytes);
        let worst = max_difference(&got, &expected);
        assert!(
            worst <= 1,
            "{subsamp:?}: DCT-domain turn differs from a pixel turn by {worst}"
        );
        // The coefficients were moved, not requantised: turning back gives the source's pixels.
        let back = process(&request(&done.bytes, &[PixelOp::Rotate180], SAME)).unwrap();
        assert!(back.lossless);
        assert_eq!(
            decoded_jpeg(&back.bytes),
            decoded_jpeg(&source),
            "{subsamp:?}"
        );
    }
}

#[test]
fn an_even_number_of_turns_returns_the_source_as_it_is() {
    let source = jpeg(64, 48, 90, Subsamp::Sub2x2);
    for turns in [0, 2, 4] {
        let ops = vec![PixelOp::Rotate180; turns];
        let done = process(&request(&source, &ops, SAME)).unwrap();
        assert!(done.lossless);
        assert_eq!(done.bytes, source);
    }
    // Three turns are one.
    let three = vec![PixelOp::Rotate180; 3];
    let once = process(&request(&source, &[PixelOp::Rotate180], SAME)).unwrap();
    assert_eq!(process(&request(&source, &three, SAME)).unwrap(), once);
}

#[test]
fn the_lossless_turn_keeps_exif_and_reports_the_display_size() {
    let source = with_exif_orientation(&jpeg(64, 32, 90, Subsamp::Sub2x2), 6);
    let mut req = request(&source, &[PixelOp::Rotate180], SAME);
    req.orientation = 6;
    let done = process(&req).unwrap();
    assert!(done.lossless);
    assert_eq!((done.width, done.height), (32, 64));
    let exif = &source[2..source[4..].iter().position(|b| *b == 0xFF).unwrap() + 4];
    assert!(
        done.bytes.windows(exif.len()).any(|w| w == exif),
        "the APP1 EXIF segment is copied"
    );
    let header = turbojpeg::read_header(&done.bytes).unwrap();
    assert_eq!(
        (header.width, header.height),
        (64, 32),
        "stored size unchanged"
    );
}

#[test]
fn a_jpeg_of_partial_mcus_is_decoded_turned_and_re_encoded() {
    let source = jpeg(65, 49, 90, Subsamp::Sub2x2);
    let done = process(&request(
        &source,
        &[PixelOp::Rotate180],
        OutputEncoding::SameAsSource { jpeg_quality: 85 },
    ))
    .unwrap();
    assert!(!done.lossless);
    assert_eq!((done.width, done.height), (65, 49));
    let out = decoded_jpeg(&done.bytes);
    assert_eq!((out.width, out.height), (65, 49));
    // Exactly decode → turn → encode at the requested quality and the source's subsampling.
    let mut pixels = decoded_jpeg(&source);
    pixels.rotate_180();
    assert_eq!(
        done.bytes,
        jpeg::encode(&pixels, 85, Some(Subsamp::Sub2x2)).unwrap()
    );
    assert_eq!(
        turbojpeg::read_header(&done.bytes).unwrap().subsamp,
        Subsamp::Sub2x2
    );
    let mean = mean_difference(&out, &pixels);
    assert!(mean < 6.0, "mean difference {mean}");
}

#[test]
fn jpeg_output_keeps_the_source_subsampling_and_grey() {
    for subsamp in [
        Subsamp::Sub2x2,
        Subsamp::Sub2x1,
        Subsamp::None,
        Subsamp::Gray,
    ] {
        let source = jpeg(33, 17, 90, subsamp);
        let fill = [PixelOp::FillRect {
            x0: 0,
            y0: 0,
            x1: 3,
            y1: 3,
            color: [200, 10, 10],
        }];
        let done = process(&request(
            &source,
            &fill,
            OutputEncoding::Jpeg { quality: 80 },
        ))
        .unwrap();
        assert!(!done.lossless);
        assert_eq!(
            turbojpeg::read_header(&done.bytes).unwrap().subsamp,
            subsamp
        );
    }
    // Not a JPEG source: 4:2:0 for colour, grey for grey.
    let colour = Img::new(20, 10, 3, false, 1).encode(SourceFormat::Png);
    let done = process(&request(&colour, &[], OutputEncoding::Jpeg { quality: 75 })).unwrap();
    assert_eq!(
        turbojpeg::read_header(&done.bytes).unwrap().subsamp,
        Subsamp::Sub2x2
    );
    let grey = Img::new(20, 10, 2, false, 1).encode(SourceFormat::Png);
    let done = process(&request(&grey, &[], OutputEncoding::Jpeg { quality: 75 })).unwrap();
    assert_eq!(
        turbojpeg::read_header(&done.bytes).unwrap().subsamp,
        Subsamp::Gray
    );
}

#[test]
fn a_truncated_jpeg_is_an_error_but_junk_before_the_end_marker_is_not() {
    let source = jpeg(64, 48, 90, Subsamp::Sub2x2);
    for cut in [source.len() - 2, source.len() / 2, 200] {
        let result = process(&request(&source[..cut], &[PixelOp::Rotate180], SAME));
        let message = result.expect_err("truncated").to_string();
        assert!(message.starts_with("cannot decode JPEG: "), "{message}");
    }
    // No image at all: libjpeg reads such a stream as "tables only" and reports success.
    for bytes in [
        &b"\xFF\xD8\xFF\xD9"[..],
        b"\xFF\xD8\xFF\xDB\x00\x43\x00",
        b"\xFF\xD8\xFF",
    ] {
        let message = process(&request(bytes, &[PixelOp::Rotate180], SAME))
            .unwrap_err()
            .to_string();
        assert_eq!(
            message,
            "cannot decode JPEG: the file ends before its image (no frame or scan header)"
        );
    }
    let mut junk = source[..source.len() - 2].to_vec();
    junk.extend([0x17; 100]);
    junk.extend([0xFF, 0xD9]);
    let mut warned = turbojpeg::Decompressor::new().unwrap();
    let mut scratch = vec![0; 64 * 48 * 3];
    let image = turbojpeg::Image {
        pixels: scratch.as_mut_slice(),
        width: 64,
        pitch: 64 * 3,
        height: 48,
        format: PixelFormat::RGB,
    };
    let warning = warned.decompress(&junk, image).unwrap_err().to_string();
    assert!(
        warning.contains("extraneous bytes before marker 0xd9"),
        "{warning}"
    );
    let done = process(&request(
        &junk,
        &[PixelOp::Rotate180],
        OutputEncoding::Jpeg { quality: 90 },
    ));
    assert_eq!(done.unwrap().width, 64);
}

#[test]
fn a_failed_file_does_not_change_the_next_ones_result() {
    let source = jpeg(48, 32, 85, Subsamp::Sub2x2);
    let ops = [PixelOp::Rotate180];
    let alone = |cut: usize| {
        std::thread::scope(|scope| {
            scope
                .spawn(|| process(&request(&source[..cut], &ops, SAME)).map_err(|e| e.to_string()))
                .join()
                .unwrap()
        })
    };
    let expected: Vec<_> = [499, 800, source.len()].map(alone).into();
    // The same files one after the other on one thread (libjpeg keeps state after an error).
    for _ in 0..2 {
        let got: Vec<_> = [499, 800, source.len()]
            .map(|cut| process(&request(&source[..cut], &ops, SAME)).map_err(|e| e.to_string()))
            .into();
        assert_eq!(got, expected);
    }
    assert!(
        expected[1]
            .as_ref()
            .unwrap_err()
            .contains("Premature end of JPEG file")
    );
}

#[test]
fn a_huge_declared_size_is_refused_before_allocation() {
    let mut source = jpeg(16, 16, 90, Subsamp::Sub2x2);
    let sof = source.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    source[sof + 5..sof + 9].copy_from_slice(&[0xFF, 0x00, 0xFF, 0x00]);
    for output in [SAME, OutputEncoding::Jpeg { quality: 90 }] {
        let error = process(&request(&source, &[PixelOp::Rotate180], output)).unwrap_err();
        assert!(
            matches!(
                error,
                ImagingError::TooLarge {
                    width: 65280,
                    height: 65280
                }
            ),
            "{error}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Orientation.

#[test]
fn orientation_6_swaps_width_and_height() {
    let source = jpeg(40, 24, 95, Subsamp::None);
    let mut req = request(&source, &[], OutputEncoding::Jpeg { quality: 95 });
    req.orientation = 6;
    let done = process(&req).unwrap();
    assert_eq!((done.width, done.height), (24, 40));
    let out = decoded_jpeg(&done.bytes);
    assert_eq!((out.width, out.height), (24, 40));
    // Turned clockwise: the stored image's left column (red 0) is now the top row.
    let Samples::U8(data) = &out.samples else {
        panic!()
    };
    let top_left_red = data[0];
    let bottom_left_red = data[(39 * 24) * 3];
    assert!(
        top_left_red < 20 && bottom_left_red > 200,
        "{top_left_red} {bottom_left_red}"
    );
}

#[test]
fn every_orientation_shows_the_pixels_as_exif_defines() {
    // 3 × 2, pixel values 1..=6 row by row:  1 2 3 / 4 5 6.
    let source = Img {
        width: 3,
        height: 2,
        channels: 1,
        sixteen: false,
        samples: (1..=6).collect(),
    };
    let png = source.encode(SourceFormat::Png);
    let expected: [(u8, u32, &[u16]); 8] = [
        (1, 3, &[1, 2, 3, 4, 5, 6]),
        (2, 3, &[3, 2, 1, 6, 5, 4]),
        (3, 3, &[6, 5, 4, 3, 2, 1]),
        (4, 3, &[4, 5, 6, 1, 2, 3]),
        (5, 2, &[1, 4, 2, 5, 3, 6]),
        (6, 2, &[4, 1, 5, 2, 6, 3]),
        (7, 2, &[6, 3, 5, 2, 4, 1]),
        (8, 2, &[3, 6, 2, 5, 1, 4]),
    ];
    for (orientation, width, samples) in expected {
        let mut req = request(&png, &[], SAME);
        req.orientation = orientation;
        let out = Img::load(&process(&req).unwrap().bytes);
        assert_eq!(
            (out.width, out.samples.as_slice()),
            (width, samples),
            "orientation {orientation}"
        );
        assert_eq!(
            source.oriented(orientation).samples,
            samples,
            "reference, orientation {orientation}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Fills.

#[test]
fn fills_paint_exactly_their_pixels() {
    let source = Img {
        width: 5,
        height: 4,
        channels: 3,
        sixteen: false,
        samples: vec![10; 5 * 4 * 3],
    };
    let png = source.encode(SourceFormat::Png);
    let ops = [
        // Cut to the image: x 3..5 of row 2.
        PixelOp::FillRect {
            x0: 3,
            y0: 2,
            x1: 99,
            y1: 3,
            color: [1, 2, 3],
        },
        // Column-major over 5 × 4: pixels 5 and 6 are x = 1, y = 1..=2; 11..13 cross from
        // x = 2, y = 3 to x = 3, y = 0..=1.
        PixelOp::FillRuns {
            counts: vec![5, 2, 4, 3, 6],
            color: [200, 100, 0],
        },
        // Empty and inverted rectangles fill nothing.
        PixelOp::FillRect {
            x0: 2,
            y0: 2,
            x1: 2,
            y1: 4,
            color: [7, 7, 7],
        },
        PixelOp::FillRect {
            x0: 4,
            y0: 3,
            x1: 1,
            y1: 4,
            color: [7, 7, 7],
        },
    ];
    let done = process(&request(&png, &ops, SAME)).unwrap();
    assert_eq!(done.format, SourceFormat::Png);
    let out = Img::load(&done.bytes);
    let mut painted = Vec::new();
    for y in 0..4 {
        for x in 0..5 {
            match out.pixel(x, y) {
                [10, 10, 10] => {}
                other => painted.push((x, y, other.to_vec())),
            }
        }
    }
    let (rect, mask) = (vec![1, 2, 3], vec![200, 100, 0]);
    let expected = [
        (3, 0, &mask),
        (1, 1, &mask),
        (3, 1, &mask),
        (1, 2, &mask),
        (3, 2, &rect),
        (4, 2, &rect),
        (2, 3, &mask),
    ]
    .map(|(x, y, c)| (x, y, c.clone()));
    assert_eq!(painted, expected);
}

#[test]
fn fill_colours_follow_the_layout_and_depth() {
    let red = [PixelOp::FillRect {
        x0: 0,
        y0: 0,
        x1: 1,
        y1: 1,
        color: [255, 0, 0],
    }];
    for (channels, sixteen, expected) in [
        (1, false, vec![76]),
        (2, false, vec![76, 255]),
        (3, false, vec![255, 0, 0]),
        (4, false, vec![255, 0, 0, 255]),
        (1, true, vec![76 * 257]),
        (2, true, vec![76 * 257, 65_535]),
        (3, true, vec![65_535, 0, 0]),
        (4, true, vec![65_535, 0, 0, 65_535]),
    ] {
        let source = Img::new(3, 2, channels, sixteen, 9).encode(SourceFormat::Png);
        let out = Img::load(&process(&request(&source, &red, SAME)).unwrap().bytes);
        assert_eq!((out.channels, out.sixteen), (channels, sixteen));
        assert_eq!(
            out.pixel(0, 0),
            expected.as_slice(),
            "{channels} channels, 16-bit {sixteen}"
        );
    }
}

#[test]
fn a_mask_of_the_wrong_size_is_refused() {
    let png = Img::new(5, 4, 3, false, 3).encode(SourceFormat::Png);
    let error = process(&request(
        &png,
        &[PixelOp::FillRuns {
            counts: vec![3, 4],
            color: [0; 3],
        }],
        SAME,
    ))
    .unwrap_err();
    assert!(matches!(
        error,
        ImagingError::MaskSize {
            covered: 7,
            expected: 20,
            width: 5,
            height: 4
        }
    ));
    assert!(
        error
            .to_string()
            .starts_with("FillRuns mask covers 7 pixels but the image has 5 x 4 = 20")
    );
    // The display size counts: a 5 × 4 image shown with orientation 6 is 4 × 5 (same count),
    // and a mask of 20 fits.
    let ops = [PixelOp::FillRuns {
        counts: vec![1, 19],
        color: [0; 3],
    }];
    let mut req = request(&png, &ops, SAME);
    req.orientation = 6;
    assert_eq!(process(&req).unwrap().width, 4);
}

// ---------------------------------------------------------------------------------------------
// Bit depth, formats, errors.

#[test]
fn sixteen_bit_pngs_stay_sixteen_bit_and_refuse_jpeg() {
    let source = Img::new(6, 4, 1, true, 5);
    let png = source.encode(SourceFormat::Png);
    assert_eq!(bit_depth(&png), Some(16));
    let done = process(&request(&png, &[PixelOp::Rotate180], SAME)).unwrap();
    assert_eq!(bit_depth(&done.bytes), Some(16));
    assert_eq!(Img::load(&done.bytes), source.apply(&PixelOp::Rotate180));
    let refused = process(&request(&png, &[], OutputEncoding::Jpeg { quality: 80 })).unwrap_err();
    assert!(matches!(refused, ImagingError::SixteenBitJpeg));
    assert_eq!(
        refused.to_string(),
        "16-bit image cannot be re-encoded as JPEG (JPEG holds 8 bits per sample); leave change_compression out for this source"
    );
    // Also when the header does not tell (TIFF with its IFD at the end): found after decoding.
    let tiff = source.encode(SourceFormat::Tiff);
    assert!(matches!(
        process(&request(&tiff, &[], OutputEncoding::Jpeg { quality: 80 })),
        Err(ImagingError::SixteenBitJpeg)
    ));
}

#[test]
fn palette_and_low_bit_pngs_become_rgb_and_eight_bit_grey() {
    // 2 × 2, 2-bit palette indices 0 1 / 2 3.
    let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9];
    let png = handmade_png(
        2,
        2,
        2,
        3,
        &palette,
        &[vec![0b0001_0000], vec![0b1011_0000]],
    );
    assert_eq!(bit_depth(&png), Some(2));
    let out = Img::load(
        &process(&request(&png, &[PixelOp::Rotate180], SAME))
            .unwrap()
            .bytes,
    );
    assert_eq!((out.channels, out.sixteen), (3, false));
    assert_eq!(out.samples, [9, 9, 9, 0, 0, 255, 0, 255, 0, 255, 0, 0]);
    // 1-bit grey 0 1 / 1 0: expanded to 0 and 255.
    let png = handmade_png(2, 2, 1, 0, &[], &[vec![0b0100_0000], vec![0b1000_0000]]);
    let out = Img::load(&process(&request(&png, &[], SAME)).unwrap().bytes);
    assert_eq!(
        (out.channels, out.samples.as_slice()),
        (1, [0, 255, 255, 0].as_slice())
    );
}

#[test]
fn bmp_tiff_and_webp_keep_their_format() {
    for (format, channels, sixteen) in [
        (SourceFormat::Bmp, 3, false),
        (SourceFormat::Bmp, 4, false),
        (SourceFormat::Tiff, 3, false),
        (SourceFormat::Tiff, 1, true),
        (SourceFormat::Tiff, 2, false),
        (SourceFormat::Webp, 3, false),
        (SourceFormat::Webp, 4, false),
    ] {
        let source = Img::new(7, 5, channels, sixteen, 11);
        let bytes = source.encode(format);
        assert_eq!(sniff(&bytes), Some(format));
        let ops = [
            PixelOp::Rotate180,
            PixelOp::FillRect {
                x0: 1,
                y0: 1,
                x1: 3,
                y1: 4,
                color: [0, 128, 255],
            },
        ];
        let done = process(&request(&bytes, &ops, SAME)).unwrap();
        assert_eq!((done.format, done.lossless), (format, false));
        assert_eq!(sniff(&done.bytes), Some(format));
        let mut source = source;
        if format == SourceFormat::Tiff && channels == 2 {
            // TIFF holds no grey+alpha: written (here, for the source) as RGBA.
            source.samples = source
                .samples
                .chunks(2)
                .flat_map(|p| [p[0], p[0], p[0], p[1]])
                .collect();
            source.channels = 4;
        }
        let expected = source.apply(&ops[0]).apply(&ops[1]);
        assert_eq!(
            Img::load(&done.bytes),
            expected,
            "{format} {channels} channels"
        );
    }
}

#[test]
fn png_icc_profiles_are_kept() {
    let icc = b"not really a profile, but bytes to carry".to_vec();
    let source = Img::new(4, 4, 3, false, 2).pixels();
    let png = other::encode(source, SourceFormat::Png, Some(icc.clone())).unwrap();
    let done = process(&request(&png, &[PixelOp::Rotate180], SAME)).unwrap();
    let decoded = other::decode(&done.bytes, SourceFormat::Png).unwrap();
    assert_eq!(decoded.icc, Some(icc));
}

#[test]
fn bad_requests_and_unsupported_files_say_what_is_wrong() {
    let png = Img::new(4, 4, 3, false, 2).encode(SourceFormat::Png);
    for quality in [0, 101] {
        let error = process(&request(&png, &[], OutputEncoding::Jpeg { quality })).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("JPEG quality must be between 1 and 100, got {quality}")
        );
    }
    // The JPEG quality of SameAsSource only matters for JPEG sources.
    assert!(
        process(&request(
            &png,
            &[],
            OutputEncoding::SameAsSource { jpeg_quality: 0 }
        ))
        .is_ok()
    );
    let error = process(&request(b"hello world", &[], SAME)).unwrap_err();
    assert!(
        error.to_string().starts_with("unsupported source format"),
        "{error}"
    );
    let error = process(&request(b"GIF89a\x01\x00\x01\x00", &[], SAME)).unwrap_err();
    assert!(error.to_string().contains("GIF"), "{error}");
    let error = process(&request(&png[..40], &[], SAME)).unwrap_err();
    assert!(
        error.to_string().starts_with("cannot decode PNG: "),
        "{error}"
    );
}

#[test]
fn bit_depth_reads_headers_only() {
    let jpeg8 = jpeg(16, 16, 90, Subsamp::Sub2x2);
    assert_eq!(bit_depth(&jpeg8), Some(8));
    assert_eq!(bit_depth(&jpeg8[..200.min(jpeg8.len())]), Some(8));
    // A 12-bit baseline-extended frame header after SOI.
    assert_eq!(
        bit_depth(&[0xFF, 0xD8, 0xFF, 0xC1, 0x00, 0x11, 12, 0, 16, 0, 16, 3]),
        Some(12)
    );
    // Behind an EXIF block.
    assert_eq!(bit_depth(&with_exif_orientation(&jpeg8, 3)), Some(8));
    let png8 = Img::new(2, 2, 3, false, 1).encode(SourceFormat::Png);
    let png16 = Img::new(2, 2, 4, true, 1).encode(SourceFormat::Png);
    assert_eq!(bit_depth(&png8[..33]), Some(8));
    assert_eq!(bit_depth(&png16[..33]), Some(16));
    assert_eq!(bit_depth(&png16[..20]), None);
    assert_eq!(
        bit_depth(&Img::new(2, 2, 3, false, 1).encode(SourceFormat::Bmp)),
        Some(8)
    );
    assert_eq!(
        bit_depth(&Img::new(2, 2, 1, true, 1).encode(SourceFormat::Tiff)),
        Some(16)
    );
    assert_eq!(
        bit_depth(&Img::new(2, 2, 3, false, 1).encode(SourceFormat::Tiff)),
        Some(8)
    );
    assert_eq!(bit_depth(b"not an image"), None);
    assert_eq!(bit_depth(&[]), None);
}

#[test]
fn sniff_knows_the_magic_bytes() {
    assert_eq!(
        sniff(&jpeg(8, 8, 90, Subsamp::Gray)),
        Some(SourceFormat::Jpeg)
    );
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(SourceFormat::Png));
    assert_eq!(sniff(b"BM......"), Some(SourceFormat::Bmp));
    assert_eq!(sniff(b"II*\x00...."), Some(SourceFormat::Tiff));
    assert_eq!(sniff(b"MM\x00*...."), Some(SourceFormat::Tiff));
    assert_eq!(
        sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 "),
        Some(SourceFormat::Webp)
    );
    assert_eq!(sniff(b"RIFF\x10\x00\x00\x00WAVEfmt "), None);
    assert_eq!(sniff(b"GIF89a"), Some(SourceFormat::Gif));
    assert_eq!(sniff(b"\x89PNG"), None);
    assert_eq!(sniff(b""), None);
}

// ---------------------------------------------------------------------------------------------
// Determinism.

#[test]
fn output_is_identical_across_runs_and_threads() {
    let sources = [
        (
            jpeg(65, 49, 90, Subsamp::Sub2x2),
            OutputEncoding::Jpeg { quality: 85 },
        ),
        (jpeg(64, 48, 90, Subsamp::Sub2x2), SAME),
        (
            Img::new(33, 17, 4, false, 7).encode(SourceFormat::Png),
            OutputEncoding::Jpeg { quality: 80 },
        ),
        (Img::new(33, 17, 3, true, 7).encode(SourceFormat::Png), SAME),
    ];
    let ops = [
        PixelOp::Rotate180,
        PixelOp::FillRect {
            x0: 2,
            y0: 3,
            x1: 20,
            y1: 9,
            color: [12, 200, 3],
        },
    ];
    let run = || -> Vec<Vec<u8>> {
        sources
            .iter()
            .map(|(source, output)| process(&request(source, &ops, *output)).unwrap().bytes)
            .collect()
    };
    let first = run();
    assert_eq!(run(), first);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4).map(|_| scope.spawn(run)).collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), first);
        }
    });
}

#[test]
fn outputs_written_to_disk_read_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let source = jpeg(64, 48, 90, Subsamp::Sub2x2);
    let path = dir.path().join("in.jpg");
    std::fs::write(&path, &source).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let done = process(&request(&bytes, &[PixelOp::Rotate180], SAME)).unwrap();
    let out = dir.path().join(format!("out.{}", done.format.extension()));
    std::fs::write(&out, &done.bytes).unwrap();
    assert_eq!(image::image_dimensions(&out).unwrap(), (64, 48));
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn op_strategy(width: u32, height: u32) -> impl Strategy<Value = PixelOp> {
    let n = (width * height) as usize;
    prop_oneof![
        Just(PixelOp::Rotate180),
        (
            0..width + 3,
            0..height + 3,
            0..width + 3,
            0..height + 3,
            any::<[u8; 3]>()
        )
            .prop_map(|(x0, y0, x1, y1, color)| PixelOp::FillRect {
                x0,
                y0,
                x1,
                y1,
                color
            }),
        (
            proptest::collection::vec(any::<bool>(), n),
            any::<[u8; 3]>()
        )
            .prop_map(|(mask, color)| {
                PixelOp::FillRuns {
                    counts: runs(&mask),
                    color,
                }
            }),
    ]
}

/// An image, an orientation, and operations sized for the displayed image.
fn case_strategy() -> impl Strategy<Value = (Img, u8, Vec<PixelOp>)> {
    (
        1u32..12,
        1u32..12,
        1usize..=4,
        any::<bool>(),
        any::<u64>(),
        1u8..=8,
    )
        .prop_flat_map(|(width, height, channels, sixteen, seed, orientation)| {
            let (dw, dh) = orientation::display_size(width, height, orientation);
            (
                Just(Img::new(width, height, channels, sixteen, seed)),
                Just(orientation),
                proptest::collection::vec(op_strategy(dw, dh), 0..6),
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn turning_twice_is_the_identity(
        width in 1u32..24, height in 1u32..24, channels in prop_oneof![Just(1usize), Just(3)],
        sixteen in any::<bool>(), seed in any::<u64>(),
    ) {
        let source = Img::new(width, height, channels, sixteen, seed);
        let png = source.encode(SourceFormat::Png);
        let once = process(&request(&png, &[PixelOp::Rotate180], SAME)).unwrap();
        let turned = Img::load(&once.bytes);
        prop_assert_eq!(&turned, &source.apply(&PixelOp::Rotate180));
        let twice = process(&request(&once.bytes, &[PixelOp::Rotate180], SAME)).unwrap();
        prop_assert_eq!(Img::load(&twice.bytes), source);
    }

    /// Orientation and every sequence of operations give what the plain per-pixel definitions
    /// give (the folding of turns into the orientation included).
    #[test]
    fn process_matches_the_plain_definition((source, orientation, ops) in case_strategy()) {
        let png = source.encode(SourceFormat::Png);
        let mut req = request(&png, &ops, SAME);
        req.orientation = orientation;
        let done = process(&req).unwrap();
        let expected = ops.iter().fold(source.oriented(orientation), |image, op| image.apply(op));
        prop_assert_eq!((done.width, done.height), (expected.width, expected.height));
        prop_assert_eq!(Img::load(&done.bytes), expected);
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        magic in 0usize..7,
        orientation in 0u8..10,
    ) {
        let prefixes: [&[u8]; 7] = [
            b"", b"\xFF\xD8\xFF\xE0", b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0DIHDR", b"BM",
            b"II*\x00\x08\x00\x00\x00", b"RIFF\x00\x01\x00\x00WEBPVP8L", b"MM\x00*\x00\x00\x00\x08",
        ];
        let mut bytes = bytes;
        bytes.splice(0..0, prefixes[magic].iter().copied());
        let ops = [PixelOp::Rotate180, PixelOp::FillRect { x0: 1, y0: 1, x1: 5, y1: 5, color: [1, 2, 3] }];
        for output in [SAME, OutputEncoding::Jpeg { quality: 80 }] {
            let mut req = request(&bytes, &ops, output);
            req.orientation = orientation;
            let _ = process(&req);
            let _ = process(&request(&bytes, &ops[..1], output));
        }
        let _ = bit_depth(&bytes);
        let _ = sniff(&bytes);
    }

    #[test]
    fn truncated_or_damaged_files_are_errors_never_panics(cut in 0.0f64..1.0, flip in any::<(usize, u8)>()) {
        let files = [
            jpeg(48, 32, 85, Subsamp::Sub2x2),
            jpeg(48, 32, 85, Subsamp::Gray),
            Img::new(9, 7, 3, false, 4).encode(SourceFormat::Png),
            Img::new(9, 7, 1, true, 4).encode(SourceFormat::Png),
            Img::new(9, 7, 3, false, 4).encode(SourceFormat::Bmp),
            Img::new(9, 7, 3, false, 4).encode(SourceFormat::Tiff),
            Img::new(9, 7, 4, false, 4).encode(SourceFormat::Webp),
        ];
        for file in &files {
            let end = ((file.len() as f64) * cut) as usize;
            let truncated = &file[..end];
            for ops in [&[PixelOp::Rotate180][..], &[]] {
                let result = process(&request(truncated, ops, SAME));
                // (No turn, or an even number, returns the file unread.)
                if sniff(file) == Some(SourceFormat::Jpeg) && end + 2 <= file.len() && !ops.is_empty() {
                    prop_assert!(result.is_err(), "JPEG cut at {} of {}", end, file.len());
                }
                let _ = process(&request(truncated, ops, OutputEncoding::Jpeg { quality: 70 }));
            }
            let mut damaged = file.clone();
            let at = flip.0 % damaged.len();
            damaged[at] ^= flip.1 | 1;
            let _ = process(&request(&damaged, &[PixelOp::Rotate180], SAME));
            let _ = process(&request(&damaged, &[], OutputEncoding::Jpeg { quality: 70 }));
        }
    }
}

/// A JPEG that cannot turn losslessly but whose chroma planes turn exactly (1920×1080 in 4:2:0
/// is the common case: 1080 is not a multiple of 16) is re-encoded from its YCbCr planes: the
/// turned pixels, without an RGB round trip, so closer to the source than the RGB way.
#[test]
fn an_even_sized_jpeg_is_turned_in_its_planes() {
    for subsamp in [
        Subsamp::Sub2x2,
        Subsamp::Sub2x1,
        Subsamp::None,
        Subsamp::Gray,
    ] {
        let source = jpeg(64, 50, 92, subsamp);
        let done = process(&request(
            &source,
            &[PixelOp::Rotate180],
            OutputEncoding::Jpeg { quality: 90 },
        ))
        .unwrap();
        assert!(!done.lossless);
        assert_eq!((done.width, done.height), (64, 50));
        assert_eq!(
            turbojpeg::read_header(&done.bytes).unwrap().subsamp,
            subsamp
        );
        let mut expected = decoded_plainly(&source);
        expected.rotate_180();
        let planar = mean_difference(&decoded_plainly(&done.bytes), &expected);
        // The RGB way, for comparison.
        let mut pixels = decoded_jpeg(&source);
        pixels.rotate_180();
        let through_rgb = jpeg::encode(&pixels, 90, Some(subsamp)).unwrap();
        let rgb = mean_difference(&decoded_plainly(&through_rgb), &expected);
        assert!(
            planar < 8.0 && planar <= rgb + 0.05,
            "{subsamp:?}: planar {planar}, through RGB {rgb}"
        );
        // Turning the turned image back gives the source's pixels again, within re-encoding.
        let back = process(&request(
            &done.bytes,
            &[PixelOp::Rotate180],
            OutputEncoding::Jpeg { quality: 90 },
        ))
        .unwrap();
        let again = mean_difference(&decoded_plainly(&back.bytes), &decoded_plainly(&source));
        assert!(again < 8.0, "{subsamp:?}: {again}");
    }
    // EXIF orientation 3 is baked in the same way: its turn and the op's cancel.
    let source = with_exif_orientation(&jpeg(64, 50, 92, Subsamp::Sub2x2), 3);
    let mut req = request(
        &source,
        &[PixelOp::Rotate180],
        OutputEncoding::Jpeg { quality: 90 },
    );
    req.orientation = 3;
    let done = process(&req).unwrap();
    let same = mean_difference(&decoded_plainly(&done.bytes), &decoded_plainly(&source));
    assert!(same < 8.0, "{same}");
}
