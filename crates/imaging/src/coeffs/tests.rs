#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use proptest::prelude::*;
use turbojpeg::{Compressor, Image, PixelFormat, Subsamp, Transform, TransformOp};

use super::{Transcoded, transcode};
use crate::{OutputEncoding, PixelOp, Processed, Request, Route, jpeg, process};

// ---------------------------------------------------------------------------------------------
// Sources made in code.

/// An empty fill: changes no pixel, but sends a request the full way (decode to pixels,
/// encode), which is what the DCT-domain route is compared with.
const NO_FILL: PixelOp = PixelOp::FillRect {
    x0: 0,
    y0: 0,
    x1: 0,
    y1: 0,
    color: [0, 0, 0],
};

/// A photo-like RGB image: smooth shapes at three scales (bilinear value noise, mostly luma
/// with some colour), a few hard-edged boxes, and ±3 of sensor noise.
fn photo(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
    };
    let octaves: Vec<(u32, f32, u32, Vec<[f32; 3]>)> = [(96u32, 70.0f32), (24, 25.0), (6, 10.0)]
        .into_iter()
        .map(|(cell, amplitude)| {
            let grid_width = width / cell + 2;
            let grid_height = height / cell + 2;
            let values = (0..grid_width * grid_height)
                .map(|_| {
                    let luma = next();
                    [
                        luma + 0.3 * next(),
                        luma + 0.3 * next(),
                        luma + 0.3 * next(),
                    ]
                })
                .collect();
            (cell, amplitude, grid_width, values)
        })
        .collect();
    let boxes: Vec<[f32; 5]> = (0..6)
        .map(|_| {
            let x = (next() * 0.5 + 0.5) * width as f32;
            let y = (next() * 0.5 + 0.5) * height as f32;
            [
                x,
                y,
                x + (next() * 0.5 + 0.5) * width as f32 / 3.0,
                y + (next() * 0.5 + 0.5) * height as f32 / 3.0,
                next() * 60.0,
            ]
        })
        .collect();
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let mut pixel = [128.0f32; 3];
            for (cell, amplitude, grid_width, values) in &octaves {
                let (gx, gy) = (x / cell, y / cell);
                let fx = (x % cell) as f32 / *cell as f32;
                let fy = (y % cell) as f32 / *cell as f32;
                let at = |i: u32, j: u32| values[(j * grid_width + i) as usize];
                let (a, b, c, d) = (
                    at(gx, gy),
                    at(gx + 1, gy),
                    at(gx, gy + 1),
                    at(gx + 1, gy + 1),
                );
                for (channel, value) in pixel.iter_mut().enumerate() {
                    let top = a[channel] + (b[channel] - a[channel]) * fx;
                    let bottom = c[channel] + (d[channel] - c[channel]) * fx;
                    *value += amplitude * (top + (bottom - top) * fy);
                }
            }
            for [x0, y0, x1, y1, offset] in &boxes {
                if (*x0..*x1).contains(&(x as f32)) && (*y0..*y1).contains(&(y as f32)) {
                    for value in &mut pixel {
                        *value += offset;
                    }
                }
            }
            let noise = next() * 3.0;
            data.extend(pixel.map(|value| (value + noise).round().clamp(0.0, 255.0) as u8));
        }
    }
    data
}

#[derive(Clone, Copy, Default)]
struct Coding {
    progressive: bool,
    arithmetic: bool,
}

/// The pixels [`jpeg_with`] encodes: a [`photo`] of that size, grey for [`Subsamp::Gray`].
fn original(width: u32, height: u32, subsamp: Subsamp) -> Vec<u8> {
    let data = photo(width, height, u64::from(width * 7919 + height));
    if subsamp == Subsamp::Gray {
        data.chunks(3)
            .map(|p| ((u32::from(p[0]) * 3 + u32::from(p[1]) * 5 + u32::from(p[2])) / 9) as u8)
            .collect()
    } else {
        data
    }
}

/// [`original`] as a JPEG made by libjpeg-turbo.
fn jpeg_with(width: u32, height: u32, quality: i32, subsamp: Subsamp, coding: Coding) -> Vec<u8> {
    let data = original(width, height, subsamp);
    let format = if subsamp == Subsamp::Gray {
        PixelFormat::GRAY
    } else {
        PixelFormat::RGB
    };
    let mut compressor = Compressor::new().unwrap();
    compressor.set_quality(quality).unwrap();
    compressor.set_subsamp(subsamp).unwrap();
    compressor.set_progressive(coding.progressive).unwrap();
    compressor.set_arithmetic(coding.arithmetic).unwrap();
    compressor
        .compress_to_vec(Image {
            pixels: data.as_slice(),
            width: width as usize,
            pitch: width as usize * format.size(),
            height: height as usize,
            format,
        })
        .unwrap()
}

fn jpeg(width: u32, height: u32, quality: i32, subsamp: Subsamp) -> Vec<u8> {
    jpeg_with(width, height, quality, subsamp, Coding::default())
}

/// The seven layouts TurboJPEG writes, each with a size that is a whole number of its MCUs.
const ALIGNED: [(Subsamp, u32, u32); 7] = [
    (Subsamp::Sub2x2, 128, 96),
    (Subsamp::Sub2x1, 112, 72),
    (Subsamp::None, 88, 56),
    (Subsamp::Gray, 96, 64),
    (Subsamp::Sub1x2, 72, 96),
    (Subsamp::Sub4x1, 128, 40),
    (Subsamp::Sub1x4, 40, 128),
];

fn run(source: &[u8], orientation: u8, ops: &[PixelOp], quality: u8) -> Processed {
    process(&Request {
        source,
        orientation,
        ops,
        output: OutputEncoding::Jpeg { quality },
    })
    .unwrap()
}

/// Decoded as viewers do (libjpeg-turbo's default "fancy" chroma upsampling), grey or RGB.
fn decoded(bytes: &[u8]) -> Vec<u8> {
    let header = turbojpeg::read_header(bytes).unwrap();
    let format = if header.subsamp == Subsamp::Gray {
        PixelFormat::GRAY
    } else {
        PixelFormat::RGB
    };
    turbojpeg::decompress(bytes, format).unwrap().pixels
}

/// Decoded with plain (replicating) chroma upsampling, which a 180° turn mirrors exactly.
fn decoded_plainly(bytes: &[u8]) -> Vec<u8> {
    let mut decompressor = turbojpeg::Decompressor::new().unwrap();
    decompressor.set_fast_upsample(true).unwrap();
    let header = decompressor.read_header(bytes).unwrap();
    let format = if header.subsamp == Subsamp::Gray {
        PixelFormat::GRAY
    } else {
        PixelFormat::RGB
    };
    let mut data = vec![0; header.width * header.height * format.size()];
    decompressor
        .decompress(
            bytes,
            Image {
                pixels: data.as_mut_slice(),
                width: header.width,
                pitch: header.width * format.size(),
                height: header.height,
                format,
            },
        )
        .unwrap();
    data
}

/// Interleaved samples of an image turned by 180°.
fn turned(samples: &[u8], channels: usize) -> Vec<u8> {
    samples.chunks(channels).rev().flatten().copied().collect()
}

fn channels(subsamp: Subsamp) -> usize {
    if subsamp == Subsamp::Gray { 1 } else { 3 }
}

fn psnr(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    let squares: f64 = a
        .iter()
        .zip(b)
        .map(|(a, b)| (f64::from(*a) - f64::from(*b)).powi(2))
        .sum();
    let mse = squares / a.len() as f64;
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (255.0f64 * 255.0 / mse).log10()
    }
}

fn max_difference(a: &[u8], b: &[u8]) -> u8 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap_or(0)
}

/// The bytes from SOI to the end of the first SOS header: every marker segment before the
/// entropy-coded data.
fn headers(bytes: &[u8]) -> &[u8] {
    let mut at = 2;
    loop {
        assert_eq!(bytes[at], 0xFF, "a marker at {at}");
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        at += 2 + length;
        if marker == 0xDA {
            return &bytes[..at];
        }
    }
}

/// The markers of the segments before the entropy-coded data.
fn markers(bytes: &[u8]) -> Vec<u8> {
    let headers = headers(bytes);
    let mut at = 2;
    let mut found = Vec::new();
    while at < headers.len() {
        found.push(headers[at + 1]);
        at += 2 + usize::from(u16::from_be_bytes([headers[at + 2], headers[at + 3]]));
    }
    found
}

/// A minimal APP1 EXIF segment (one IFD entry: Orientation) put after SOI.
fn with_exif_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
    let mut segment = b"Exif\x00\x00MM\x00\x2A\x00\x00\x00\x08\x00\x01".to_vec();
    segment.extend([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]);
    segment.extend([0x00, orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    let length = u16::try_from(segment.len() + 2).unwrap();
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(length.to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

// ---------------------------------------------------------------------------------------------
// Requantisation.

/// Decibels of PSNR of each way's output against two references, the image before its first
/// JPEG encoding and the decoded source.
#[derive(Debug)]
struct Scores {
    coef: [f64; 2],
    rgb: [f64; 2],
    planes: Option<[f64; 2]>,
}

impl Scores {
    fn measure(coef: &[u8], rgb: &[u8], planes: Option<&[u8]>, references: [&[u8]; 2]) -> Self {
        let score = |bytes: &[u8]| references.map(|reference| psnr(&decoded(bytes), reference));
        Self {
            coef: score(coef),
            rgb: score(rgb),
            planes: planes.map(score),
        }
    }

    fn row(&self) -> String {
        let planes = self.planes.map_or("      -        -".to_owned(), |[a, b]| {
            format!("{a:7.2}  {b:7.2}")
        });
        format!(
            "{:7.2}  {:7.2}  {:7.2}  {:7.2}  {planes}",
            self.coef[0], self.coef[1], self.rgb[0], self.rgb[1]
        )
    }

    /// Against the image before its first encoding (the truth both ways approximate), the
    /// coefficient way is within `margin` dB of the best pixel way. Against the decoded source
    /// it may trail by more, by at most `extra_mse` of mean squared error: that reference holds
    /// the rounding and clamping of its own decoding (8-bit Y, Cb and Cr samples, then RGB),
    /// which the pixel ways take for detail and re-encode while the coefficient way never sees
    /// it. That noise is a fixed amount of MSE (a few tenths), so it costs few dB against
    /// coarse requantisation and several against fine.
    fn assert_within(&self, margin: f64, extra_mse: f64, case: &str) {
        let mse = |db: f64| 255.0 * 255.0 / 10f64.powf(db / 10.0);
        let best = |reference: usize| {
            self.planes.map_or(self.rgb[reference], |planes| {
                planes[reference].max(self.rgb[reference])
            })
        };
        assert!(self.coef[0] >= best(0) - margin, "{case}: {self:?}");
        assert!(
            mse(self.coef[1]) <= mse(best(1)) + extra_mse,
            "{case}, against the decoded source: {self:?}"
        );
    }
}

const TABLE_HEADER: &str =
    "layout  size     q→q     coef: orig  decoded  RGB: orig  decoded  planes: orig  decoded";

/// The DCT-domain quality change against the two pixel-domain ways (RGB: what Pillow does;
/// YCbCr planes: the way these requests went before), printed as a table with `--nocapture`.
#[test]
fn requantising_loses_no_more_than_re_encoding_decoded_pixels() {
    let sizes = [
        (Subsamp::Sub2x2, 320, 240),
        (Subsamp::Sub2x2, 250, 142),
        (Subsamp::Sub2x1, 256, 120),
        (Subsamp::None, 136, 104),
        (Subsamp::Gray, 168, 120),
        (Subsamp::Sub1x2, 160, 96),
        (Subsamp::Sub4x1, 192, 64),
    ];
    eprintln!("{TABLE_HEADER}");
    for (subsamp, width, height) in sizes {
        let before = original(width, height, subsamp);
        for source_quality in [75, 90] {
            let source = jpeg(width, height, source_quality, subsamp);
            let reference = decoded(&source);
            for quality in [50, 85, 95] {
                let coef = run(&source, 1, &[], quality);
                assert_eq!(
                    coef.route,
                    Route::Coefficients,
                    "{subsamp:?} {width}×{height}"
                );
                assert_eq!((coef.width, coef.height), (width, height));
                let rgb = run(&source, 1, &[NO_FILL], quality);
                assert_eq!(rgb.route, Route::Pixels);
                let planes = jpeg::recode_planes(&source, false, quality).unwrap();
                let scores = Scores::measure(
                    &coef.bytes,
                    &rgb.bytes,
                    planes.as_ref().map(|planes| planes.bytes.as_slice()),
                    [&before, &reference],
                );
                let case = format!("{subsamp:?} {width}×{height} q{source_quality}→q{quality}");
                eprintln!("{case:26} {}", scores.row());
                scores.assert_within(0.3, 1.0, &case);
            }
        }
    }
}

#[test]
fn requantising_to_the_source_quality_keeps_every_coefficient() {
    for (subsamp, width, height) in ALIGNED {
        let source = jpeg(width + 3, height + 5, 85, subsamp);
        let done = run(&source, 1, &[], 85);
        assert_eq!(done.route, Route::Coefficients);
        // TurboJPEG made the source with the same tables and Huffman coding: the same file.
        assert_eq!(done.bytes, source, "{subsamp:?}");
    }
}

#[test]
fn progressive_and_arithmetic_sources_become_baseline_huffman() {
    for coding in [
        Coding {
            progressive: true,
            arithmetic: false,
        },
        Coding {
            progressive: false,
            arithmetic: true,
        },
        Coding {
            progressive: true,
            arithmetic: true,
        },
    ] {
        let source = jpeg_with(96, 80, 90, Subsamp::Sub2x2, coding);
        let baseline = jpeg(96, 80, 90, Subsamp::Sub2x2);
        let done = run(&source, 1, &[PixelOp::Rotate180], 90);
        assert_eq!(done.route, Route::Coefficients);
        // The same coefficients, written the way the full path writes: SOF0 and DHT.
        let turned_baseline = run(&baseline, 1, &[PixelOp::Rotate180], 90);
        assert_eq!(done.bytes, turned_baseline.bytes);
        assert!(markers(&done.bytes).contains(&0xC0));
    }
}

// ---------------------------------------------------------------------------------------------
// The 180° turn.

/// At the source's quality the coefficients are only moved and negated: the output is the
/// lossless `tjTransform` turn, byte for byte, and so decodes to exactly its pixels. Against
/// the source's pixels turned, a decode differs by at most 1 (plain upsampling; libjpeg's
/// integer IDCT rounds a block and its mirror image differently), by up to 2 more with fancy
/// upsampling, whose rounding leans one way and so does not mirror.
#[test]
fn a_turn_at_the_same_quality_is_the_lossless_turn() {
    for (subsamp, width, height) in ALIGNED {
        let source = jpeg(width, height, 90, subsamp);
        let done = run(&source, 1, &[PixelOp::Rotate180], 90);
        assert_eq!(done.route, Route::Coefficients, "{subsamp:?}");
        let lossless = turbojpeg::transform(&Transform::op(TransformOp::Rot180), &source).unwrap();
        assert_eq!(done.bytes, &*lossless, "{subsamp:?}");
        let plain = max_difference(
            &decoded_plainly(&done.bytes),
            &turned(&decoded_plainly(&source), channels(subsamp)),
        );
        assert!(plain <= 1, "{subsamp:?}: {plain}");
        let fancy = max_difference(
            &decoded(&done.bytes),
            &turned(&decoded(&source), channels(subsamp)),
        );
        assert!(fancy <= 3, "{subsamp:?}: {fancy}");
    }
}

/// Turned and requantised: as close to the source's pixels turned as decoding, turning and
/// re-encoding gets (the references and margin of the quality change, turned).
#[test]
fn a_turn_with_a_quality_change_matches_a_pixel_turn() {
    eprintln!("{TABLE_HEADER}");
    for (subsamp, width, height) in ALIGNED {
        let (width, height) = (width * 2, height * 2);
        let before = turned(&original(width, height, subsamp), channels(subsamp));
        let source = jpeg(width, height, 90, subsamp);
        let reference = turned(&decoded(&source), channels(subsamp));
        for quality in [50, 85, 95] {
            let coef = run(&source, 1, &[PixelOp::Rotate180], quality);
            assert_eq!(coef.route, Route::Coefficients);
            let rgb = run(&source, 1, &[PixelOp::Rotate180, NO_FILL], quality);
            assert_eq!(rgb.route, Route::Pixels);
            let scores = Scores::measure(&coef.bytes, &rgb.bytes, None, [&before, &reference]);
            let case = format!("{subsamp:?} {width}×{height} turned q90→q{quality}");
            eprintln!("{case:26} {}", scores.row());
            scores.assert_within(0.3, 1.0, &case);
        }
        // Turning back and forth at one quality gives the same coefficients again.
        let once = run(&source, 1, &[PixelOp::Rotate180], 85);
        let back = run(&once.bytes, 1, &[PixelOp::Rotate180], 85);
        let again = run(&back.bytes, 1, &[PixelOp::Rotate180], 85);
        assert_eq!(again.bytes, once.bytes, "{subsamp:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Which route runs.

#[test]
fn the_route_follows_alignment_orientation_and_operations() {
    let hd = jpeg(1920, 1080, 90, Subsamp::Sub2x2);
    // 1080 is 67.5 MCUs of 16: the chroma planes' last block row is half empty.
    assert_eq!(run(&hd, 1, &[PixelOp::Rotate180], 85).route, Route::Planes);
    // A quality change alone needs no whole blocks.
    assert_eq!(run(&hd, 1, &[], 85).route, Route::Coefficients);
    assert_eq!(
        run(&hd, 1, &[PixelOp::Rotate180, PixelOp::Rotate180], 85).route,
        Route::Coefficients
    );

    let aligned = jpeg(64, 48, 90, Subsamp::Sub2x2);
    let unaligned = jpeg(66, 50, 90, Subsamp::Sub2x2);
    for (source, orientation, ops, route) in [
        (&aligned, 1, &[PixelOp::Rotate180][..], Route::Coefficients),
        (&aligned, 3, &[], Route::Coefficients),
        (&unaligned, 3, &[], Route::Planes),
        // The EXIF turn and the operation's cancel: a quality change.
        (&unaligned, 3, &[PixelOp::Rotate180], Route::Coefficients),
        // Quarter turns and flips are baked in from pixels.
        (&aligned, 6, &[], Route::Pixels),
        (&aligned, 6, &[PixelOp::Rotate180], Route::Pixels),
        (&aligned, 2, &[], Route::Pixels),
        (&aligned, 1, &[NO_FILL], Route::Pixels),
    ] {
        let source = with_exif_orientation(source, orientation);
        let done = run(&source, orientation, ops, 85);
        assert_eq!(done.route, route, "orientation {orientation}, {ops:?}");
        assert!(!done.lossless);
    }

    let grey = jpeg(64, 48, 90, Subsamp::Gray);
    let done = run(&grey, 1, &[PixelOp::Rotate180], 85);
    assert_eq!(done.route, Route::Coefficients);
    assert_eq!(
        turbojpeg::read_header(&done.bytes).unwrap().subsamp,
        Subsamp::Gray
    );

    // The lossless turn still serves "same as source", which keeps the quality.
    let same = |ops: &[PixelOp]| {
        process(&Request {
            source: &aligned,
            orientation: 1,
            ops,
            output: OutputEncoding::SameAsSource { jpeg_quality: 85 },
        })
        .unwrap()
        .route
    };
    assert_eq!(same(&[PixelOp::Rotate180]), Route::LosslessTurn);
    assert_eq!(same(&[]), Route::Unchanged);
    assert!(Route::LosslessTurn.is_lossless() && !Route::Coefficients.is_lossless());
}

#[test]
fn files_the_coefficient_api_cannot_serve_take_the_full_path() {
    // Lossless (SOF3) JPEG: no DCT coefficients.
    let pixels = photo(32, 32, 1);
    let mut compressor = Compressor::new().unwrap();
    compressor.set_lossless(true).unwrap();
    let lossless = compressor
        .compress_to_vec(Image {
            pixels: pixels.as_slice(),
            width: 32,
            pitch: 96,
            height: 32,
            format: PixelFormat::RGB,
        })
        .unwrap();
    assert_ne!(run(&lossless, 1, &[], 85).route, Route::Coefficients);

    // CMYK (stored as YCCK): decoded through `image`.
    let cmyk: Vec<u8> = pixels
        .chunks(3)
        .flat_map(|p| [p[0], p[1], p[2], 40])
        .collect();
    let ycck = turbojpeg::compress(
        Image {
            pixels: cmyk.as_slice(),
            width: 32,
            pitch: 128,
            height: 32,
            format: PixelFormat::CMYK,
        },
        90,
        Subsamp::None,
    )
    .unwrap();
    assert_eq!(transcode(&ycck, false, 85).unwrap(), Transcoded::Ineligible);
    assert_eq!(run(&ycck, 1, &[], 85).route, Route::Pixels);

    // 12-bit samples (the frame header's precision byte says so).
    let mut twelve = jpeg(32, 32, 90, Subsamp::Sub2x2);
    let sof = twelve.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    twelve[sof + 1] = 0xC1;
    twelve[sof + 4] = 12;
    assert_eq!(
        transcode(&twelve, false, 85).unwrap(),
        Transcoded::Ineligible
    );
    assert!(
        process(&Request {
            source: &twelve,
            orientation: 1,
            ops: &[],
            output: OutputEncoding::Jpeg { quality: 85 },
        })
        .is_err_and(|error| error.to_string().starts_with("cannot decode JPEG")),
        "the full path cannot decode 12-bit JPEGs either"
    );

    // Colour with chroma sampled unlike TurboJPEG (here 4:4:4 written as 2×2 everywhere).
    let mut odd = jpeg(32, 32, 90, Subsamp::None);
    let sof = odd.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    for component in 0..3 {
        odd[sof + 11 + 3 * component] = 0x22;
    }
    assert_eq!(transcode(&odd, false, 85).unwrap(), Transcoded::Ineligible);
}

// ---------------------------------------------------------------------------------------------
// Output format.

/// Everything before the entropy-coded data (JFIF APP0 with its density, DQT, SOF0, DHT, SOS)
/// is what the full path's encoder writes, byte for byte; the source's EXIF and density are
/// not carried over.
#[test]
fn the_output_headers_are_the_full_paths() {
    for (subsamp, width, height) in ALIGNED {
        let mut source = with_exif_orientation(&jpeg(width, height, 92, subsamp), 1);
        // JFIF density 300 dpi instead of TurboJPEG's 1:1.
        let app0 = source
            .windows(7)
            .position(|w| w == b"\xFF\xE0\x00\x10JFI")
            .unwrap();
        source[app0 + 11..app0 + 16].copy_from_slice(&[1, 1, 44, 1, 44]);
        for ops in [&[][..], &[PixelOp::Rotate180]] {
            let coef = run(&source, 1, ops, 80);
            assert_eq!(coef.route, Route::Coefficients);
            let mut full_ops = ops.to_vec();
            full_ops.push(NO_FILL);
            let full = run(&source, 1, &full_ops, 80);
            assert_eq!(headers(&coef.bytes), headers(&full.bytes), "{subsamp:?}");
            assert!(!markers(&coef.bytes).contains(&0xE1), "no EXIF");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Damaged files.

#[test]
fn truncated_files_fail_as_on_the_full_path() {
    for coding in [
        Coding::default(),
        Coding {
            progressive: true,
            arithmetic: false,
        },
    ] {
        let source = jpeg_with(64, 48, 90, Subsamp::Sub2x2, coding);
        for cut in (40..source.len() - 2).step_by(97).chain([source.len() - 2]) {
            let truncated = &source[..cut];
            for ops in [&[][..], &[PixelOp::Rotate180]] {
                let request = |ops: &[PixelOp]| {
                    process(&Request {
                        source: truncated,
                        orientation: 1,
                        ops,
                        output: OutputEncoding::Jpeg { quality: 85 },
                    })
                    .map(|done| done.route)
                    .map_err(|error| error.to_string())
                };
                let mut full_ops = ops.to_vec();
                full_ops.push(NO_FILL);
                let (coef, full) = (request(ops), request(&full_ops));
                assert!(full.is_err(), "cut at {cut}");
                assert_eq!(coef, full, "cut at {cut} of {}", source.len());
            }
            if let Ok(Transcoded::Corrupt(message)) = transcode(truncated, true, 85) {
                assert!(!message.is_empty());
            }
        }
    }
    let source = jpeg(64, 48, 90, Subsamp::Sub2x2);
    assert_eq!(
        transcode(&source[..source.len() - 100], false, 85).unwrap(),
        Transcoded::Corrupt("Premature end of JPEG file".to_owned())
    );
}

#[test]
fn junk_before_the_end_marker_is_let_through() {
    let source = jpeg(64, 48, 90, Subsamp::Sub2x2);
    let mut junk = source[..source.len() - 2].to_vec();
    junk.extend([0x17; 100]);
    junk.extend([0xFF, 0xD9]);
    let done = run(&junk, 1, &[PixelOp::Rotate180], 90);
    assert_eq!(done.route, Route::Coefficients);
    assert_eq!(done.bytes, run(&source, 1, &[PixelOp::Rotate180], 90).bytes);
}

/// The resident set of this process, in bytes.
fn resident() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// Every path out of the C side frees what it allocated: thousands of calls that fail at
/// different points (and that succeed), each allocating about 1.5 MB of coefficients, leave
/// the resident set where it was (other tests run alongside, hence the generous margin).
#[test]
fn no_path_leaks_memory() {
    let source = jpeg(512, 512, 90, Subsamp::None);
    let progressive = jpeg_with(
        512,
        512,
        90,
        Subsamp::None,
        Coding {
            progressive: true,
            arithmetic: false,
        },
    );
    let mut flipped = source.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x55;
    let inputs: Vec<&[u8]> = vec![
        &source[..source.len() / 2],
        &progressive[..progressive.len() / 3],
        &flipped,
        &source,
        &source[..200],
    ];
    let run_all = || {
        for input in &inputs {
            for turn in [false, true] {
                let _ = transcode(input, turn, 75);
            }
        }
    };
    run_all();
    let before = resident();
    for _ in 0..150 {
        run_all();
    }
    let grown = resident().saturating_sub(before);
    assert!(grown < 96 << 20, "resident set grew by {grown} bytes");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn damaged_files_never_panic_and_what_succeeds_decodes(
        cut in 0.0f64..1.0, flips in proptest::collection::vec(any::<(usize, u8)>(), 0..4),
        which in 0usize..4, turn in any::<bool>(),
    ) {
        let file = match which {
            0 => jpeg(48, 32, 85, Subsamp::Sub2x2),
            1 => jpeg(48, 32, 85, Subsamp::Gray),
            2 => jpeg_with(48, 32, 85, Subsamp::Sub2x1, Coding { progressive: true, arithmetic: false }),
            _ => jpeg_with(48, 32, 85, Subsamp::None, Coding { progressive: false, arithmetic: true }),
        };
        let mut damaged = file[..((file.len() as f64) * cut) as usize].to_vec();
        for (at, bits) in flips {
            if !damaged.is_empty() {
                let at = at % damaged.len();
                damaged[at] ^= bits | 1;
            }
        }
        if let Ok(Transcoded::Done { bytes, width, height }) = transcode(&damaged, turn, 70) {
            let header = turbojpeg::read_header(&bytes).unwrap();
            prop_assert_eq!((header.width, header.height), (width as usize, height as usize));
        }
        let ops = if turn { &[PixelOp::Rotate180][..] } else { &[] };
        if let Ok(done) = process(&Request {
            source: &damaged, orientation: 1, ops, output: OutputEncoding::Jpeg { quality: 70 },
        }) {
            prop_assert!(turbojpeg::read_header(&done.bytes).is_ok());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Determinism.

#[test]
fn the_same_bytes_give_the_same_bytes_on_any_thread() {
    let sources: Vec<Vec<u8>> = ALIGNED
        .iter()
        .map(|(subsamp, width, height)| jpeg(*width, *height, 90, *subsamp))
        .collect();
    let all = || -> Vec<Vec<u8>> {
        sources
            .iter()
            .flat_map(|source| {
                [
                    run(source, 1, &[], 75).bytes,
                    run(source, 1, &[PixelOp::Rotate180], 75).bytes,
                ]
            })
            .collect()
    };
    let first = all();
    assert_eq!(all(), first);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4).map(|_| scope.spawn(all)).collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), first);
        }
    });
}
