#![allow(clippy::unwrap_used, reason = "tests")]

use proptest::prelude::*;

use super::*;

/// A smooth gradient with some texture, encoded by libjpeg-turbo.
pub(crate) fn jpeg(width: u32, height: u32, quality: u8, subsamp: Subsamp) -> Vec<u8> {
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
    let image = turbojpeg::Image {
        pixels: data.as_slice(),
        width: width as usize,
        pitch: width as usize * 3,
        height: height as usize,
        format: PixelFormat::RGB,
    };
    turbojpeg::compress(image, i32::from(quality), subsamp)
        .unwrap()
        .to_vec()
}

fn png(pixels: &Pixels) -> Vec<u8> {
    encode_image(pixels, image::ImageFormat::Png).unwrap()
}

fn decoded(bytes: &[u8]) -> Pixels {
    let format = sniff(bytes).unwrap();
    decode(bytes, format).unwrap().0
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

#[test]
fn an_mcu_aligned_jpeg_turns_losslessly_and_matches_a_pixel_turn() {
    let source = jpeg(64, 48, 90, Subsamp::Sub2x2);
    let done = process(&request(&source, &[PixelOp::Rotate180], SAME)).unwrap();
    assert!(done.lossless);
    assert_eq!((done.width, done.height), (64, 48));
    let mut expected = decoded(&source);
    expected.apply(&PixelOp::Rotate180).unwrap();
    let (Samples::U8(got), Samples::U8(want)) = (decoded(&done.bytes).samples, expected.samples)
    else {
        panic!("8-bit expected");
    };
    let worst = got
        .iter()
        .zip(&want)
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap_or(0);
    assert!(
        worst <= 2,
        "DCT-domain turn differs from a pixel turn by {worst}"
    );
    // Two turns: the file as it was.
    let twice = process(&request(
        &source,
        &[PixelOp::Rotate180, PixelOp::Rotate180],
        SAME,
    ))
    .unwrap();
    assert_eq!(twice.bytes, source);
}

#[test]
fn a_jpeg_of_partial_mcus_is_decoded_turned_and_re_encoded() {
    let source = jpeg(65, 49, 90, Subsamp::Sub2x2);
    let done = process(&request(&source, &[PixelOp::Rotate180], SAME)).unwrap();
    assert!(!done.lossless);
    let out = decoded(&done.bytes);
    assert_eq!((out.width, out.height), (65, 49));
    // Exactly what decode → turn → encode at the same quality gives.
    let mut pixels = decoded(&source);
    pixels.apply(&PixelOp::Rotate180).unwrap();
    assert_eq!(
        done.bytes,
        encode_jpeg(&pixels, 90, Some(Subsamp::Sub2x2)).unwrap()
    );
}

#[test]
fn orientation_is_applied_before_the_ops_and_swaps_quarter_turns() {
    let source = jpeg(40, 24, 90, Subsamp::None);
    let mut req = request(
        &source,
        &[PixelOp::FillRect {
            x0: 0,
            y0: 0,
            x1: 1,
            y1: 1,
            color: [255, 0, 0],
        }],
        OutputEncoding::Jpeg { quality: 95 },
    );
    req.orientation = 6;
    let done = process(&req).unwrap();
    assert_eq!((done.width, done.height), (24, 40));
    assert_eq!(decoded(&done.bytes).width, 24);
}

#[test]
fn fills_paint_exactly_their_pixels() {
    let pixels = Pixels::from_u8(5, 4, 3, vec![10; 5 * 4 * 3]);
    let source = png(&pixels);
    // Mask: column-major over 5×4; pixels 5..7 are x=1, y=1..2.
    let ops = [
        PixelOp::FillRect {
            x0: 3,
            y0: 2,
            x1: 99,
            y1: 3,
            color: [1, 2, 3],
        },
        PixelOp::FillRuns {
            counts: vec![5, 2, 13],
            color: [200, 100, 0],
        },
    ];
    let done = process(&request(&source, &ops, SAME)).unwrap();
    assert_eq!(done.format, SourceFormat::Png);
    let Samples::U8(out) = decoded(&done.bytes).samples else {
        panic!()
    };
    let at = |x: usize, y: usize| &out[(y * 5 + x) * 3..(y * 5 + x) * 3 + 3];
    assert_eq!(at(3, 2), [1, 2, 3]);
    assert_eq!(at(4, 2), [1, 2, 3]);
    assert_eq!(at(2, 2), [10, 10, 10]);
    assert_eq!(at(1, 1), [200, 100, 0]);
    assert_eq!(at(1, 2), [200, 100, 0]);
    assert_eq!(at(1, 3), [10, 10, 10]);
    let wrong = process(&request(
        &source,
        &[PixelOp::FillRuns {
            counts: vec![3],
            color: [0; 3],
        }],
        SAME,
    ));
    assert!(matches!(
        wrong,
        Err(ImagingError::MaskSize {
            covered: 3,
            expected: 20,
            ..
        })
    ));
}

#[test]
fn sixteen_bit_pngs_stay_sixteen_bit_and_refuse_jpeg() {
    let data: Vec<u16> = (0..6 * 4).map(|v| v * 2000).collect();
    let pixels = Pixels {
        width: 6,
        height: 4,
        channels: 1,
        samples: Samples::U16(data.clone()),
    };
    let source = png(&pixels);
    assert_eq!(bit_depth(&source), Some(16));
    let done = process(&request(&source, &[PixelOp::Rotate180], SAME)).unwrap();
    let Samples::U16(out) = decoded(&done.bytes).samples else {
        panic!("16-bit expected")
    };
    let mut reversed = data;
    reversed.reverse();
    assert_eq!(out, reversed);
    let refused = process(&request(&source, &[], OutputEncoding::Jpeg { quality: 80 }));
    assert!(matches!(refused, Err(ImagingError::SixteenBitJpeg)));
    assert!(
        refused
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
            .contains("16-bit")
    );
}

#[test]
fn output_is_deterministic_and_png_becomes_jpeg_on_request() {
    let pixels = Pixels::from_u8(
        33,
        17,
        4,
        (0..33 * 17 * 4).map(|v| (v % 251) as u8).collect(),
    );
    let source = png(&pixels);
    let ops = [PixelOp::Rotate180];
    let a = process(&request(
        &source,
        &ops,
        OutputEncoding::Jpeg { quality: 80 },
    ))
    .unwrap();
    let b = process(&request(
        &source,
        &ops,
        OutputEncoding::Jpeg { quality: 80 },
    ))
    .unwrap();
    assert_eq!(a, b);
    assert_eq!(a.format, SourceFormat::Jpeg);
    assert_eq!(sniff(&a.bytes), Some(SourceFormat::Jpeg));
}

#[test]
fn headers_tell_the_bit_depth() {
    assert_eq!(bit_depth(&jpeg(16, 16, 90, Subsamp::Sub2x2)), Some(8));
    assert_eq!(
        bit_depth(&png(&Pixels::from_u8(2, 2, 1, vec![0; 4]))),
        Some(8)
    );
    assert_eq!(bit_depth(b"not an image"), None);
    let tiff = encode_image(
        &Pixels {
            width: 3,
            height: 2,
            channels: 1,
            samples: Samples::U16(vec![9; 6]),
        },
        image::ImageFormat::Tiff,
    )
    .unwrap();
    assert_eq!(sniff(&tiff), Some(SourceFormat::Tiff));
    assert_eq!(bit_depth(&tiff), Some(16));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn turning_twice_is_the_identity_on_pixels(
        width in 1u32..20, height in 1u32..20, channels in 1u8..=4, wide in any::<bool>(), seed in any::<u16>(),
    ) {
        let n = (width * height) as usize * usize::from(channels);
        let samples = if wide {
            Samples::U16((0..n).map(|i| (i as u16).wrapping_mul(seed | 1)).collect())
        } else {
            Samples::U8((0..n).map(|i| (i as u8).wrapping_mul(seed as u8 | 1)).collect())
        };
        let original = Pixels { width, height, channels, samples };
        let mut pixels = original.clone();
        pixels.apply(&PixelOp::Rotate180).unwrap();
        if width * height > 1 {
            prop_assert_ne!(&pixels, &original);
        }
        pixels.apply(&PixelOp::Rotate180).unwrap();
        prop_assert_eq!(pixels, original);
    }

    #[test]
    fn every_orientation_then_its_inverse_is_the_identity(width in 1u32..9, height in 1u32..9, orientation in 1u8..=8) {
        let original = Pixels::from_u8(width, height, 1, (0..width * height).map(|v| v as u8).collect());
        let inverse = match orientation { 6 => 8, 8 => 6, other => other };
        let back = orientation::apply(orientation::apply(original.clone(), orientation), inverse);
        prop_assert_eq!(back, original);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), jpeg_head in any::<bool>()) {
        let mut bytes = bytes;
        if jpeg_head {
            bytes.splice(0..0, [0xFF, 0xD8, 0xFF, 0xE0]);
        }
        let _ = process(&request(&bytes, &[PixelOp::Rotate180], SAME));
        let _ = bit_depth(&bytes);
    }

    #[test]
    fn truncated_jpegs_are_errors_or_images_never_panics(cut in 0usize..2000) {
        let source = jpeg(48, 32, 85, Subsamp::Sub2x2);
        let cut = cut.min(source.len());
        let _ = process(&request(&source[..cut], &[PixelOp::Rotate180], OutputEncoding::Jpeg { quality: 80 }));
    }
}
