//! Phase B's per-image cost on a 1920×1080 JPEG (one thread): decode → turn → encode with
//! libjpeg-turbo, the lossless DCT-domain turn, and the `image` crate doing the same for scale.
#![allow(clippy::unwrap_used, reason = "benchmark")]

use datamill_imaging::{OutputEncoding, PixelOp, Request, process};

fn main() {
    divan::main();
}

fn source(width: u32, height: u32) -> Vec<u8> {
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let noise = ((x * 7919 + y * 104_729) % 31) as u8;
            data.extend([
                (x * 255 / width) as u8 ^ noise,
                (y * 255 / height) as u8,
                noise.wrapping_mul(7),
            ]);
        }
    }
    let image = image::RgbImage::from_raw(width, height, data).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .unwrap();
    out.into_inner()
}

#[divan::bench(sample_count = 20)]
fn turbo_rotate_recompress_q85(bencher: divan::Bencher) {
    let bytes = source(1920, 1080);
    bencher.bench(|| {
        process(&Request {
            source: &bytes,
            orientation: 1,
            ops: &[PixelOp::Rotate180],
            output: OutputEncoding::Jpeg { quality: 85 },
        })
        .unwrap()
    });
}

#[divan::bench(sample_count = 20)]
fn turbo_lossless_rotate_1920x1088(bencher: divan::Bencher) {
    let bytes = source(1920, 1088);
    bencher.bench(|| {
        process(&Request {
            source: &bytes,
            orientation: 1,
            ops: &[PixelOp::Rotate180],
            output: OutputEncoding::SameAsSource { jpeg_quality: 85 },
        })
        .unwrap()
    });
}

#[divan::bench(sample_count = 10)]
fn image_crate_rotate_recompress_q85(bencher: divan::Bencher) {
    let bytes = source(1920, 1080);
    bencher.bench(|| {
        let decoded = image::load_from_memory(&bytes).unwrap().rotate180();
        let mut out = std::io::Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&decoded)
            .unwrap();
        out.into_inner()
    });
}
