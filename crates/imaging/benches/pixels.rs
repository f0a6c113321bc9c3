//! Phase B's per-image cost, one thread, on a synthetic photo-like 1920×1080 JPEG (gradient plus
//! noise, q90 4:2:0 by libjpeg-turbo, 0.24 bytes per pixel). Throughput is shown as items/s =
//! pixels/s (Mitem/s = MP/s). `coef_*` and `full_*` time the same requests on the same
//! 1920×1088 file through the DCT domain and through pixels; `benches/pillow.py` times Pillow
//! on the same bytes.
//!
//!     CARGO_TARGET_DIR=/work/target-imaging cargo bench -p datamill-imaging --bench pixels
//!     DATAMILL_BENCH_JPEGS=/tmp/bj cargo bench -p datamill-imaging --bench pixels  # writes the files
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark")]

use std::io::Cursor;
use std::sync::LazyLock;

use datamill_imaging::{OutputEncoding, PixelOp, PreviewOptions, Request, preview, process};
use divan::Bencher;
use divan::counter::ItemsCount;

fn main() {
    // For comparisons with other libraries on the same bytes (benches/pillow.py).
    if let Some(dir) = std::env::var_os("DATAMILL_BENCH_JPEGS") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("hd_1920x1080_q90.jpg"), &*HD).unwrap();
        std::fs::write(dir.join("hd_1920x1088_q90.jpg"), &*HD_ALIGNED).unwrap();
        return;
    }
    divan::main();
}

/// A smooth gradient with ±12 of noise, as RGB samples.
fn photo(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 25) as i32 - 12
    };
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let base = [
                (x * 255 / width) as i32,
                (y * 255 / height) as i32,
                ((x + y) * 255 / (width + height)) as i32,
            ];
            data.extend(base.map(|v| (v + noise()).clamp(0, 255) as u8));
        }
    }
    data
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let data = photo(width, height);
    let image = turbojpeg::Image {
        pixels: data.as_slice(),
        width: width as usize,
        pitch: width as usize * 3,
        height: height as usize,
        format: turbojpeg::PixelFormat::RGB,
    };
    turbojpeg::compress(image, 90, turbojpeg::Subsamp::Sub2x2)
        .unwrap()
        .to_vec()
}

static HD: LazyLock<Vec<u8>> = LazyLock::new(|| jpeg(1920, 1080));
static HD_ALIGNED: LazyLock<Vec<u8>> = LazyLock::new(|| jpeg(1920, 1088));
static HD_PNG: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let image = image::RgbImage::from_raw(1920, 1080, photo(1920, 1080)).unwrap();
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
});

fn run(
    bencher: Bencher,
    source: &[u8],
    pixels: usize,
    orientation: u8,
    ops: &[PixelOp],
    output: OutputEncoding,
) {
    bencher.counter(ItemsCount::new(pixels)).bench(|| {
        process(&Request {
            source,
            orientation,
            ops,
            output,
        })
        .unwrap()
    });
}

/// 1920×1080 4:2:0 has partial MCUs (1080 = 67.5 × 16): decode → turn → encode q85.
#[divan::bench(sample_count = 30)]
fn turbo_decode_rotate_encode_q85(bencher: Bencher) {
    let source = &*HD;
    let ops = [PixelOp::Rotate180];
    run(
        bencher,
        source,
        1920 * 1080,
        1,
        &ops,
        OutputEncoding::SameAsSource { jpeg_quality: 85 },
    );
}

/// 1920×1088 is a whole number of MCUs: the DCT-domain turn.
#[divan::bench(sample_count = 30)]
fn turbo_lossless_rotate_1920x1088(bencher: Bencher) {
    let source = &*HD_ALIGNED;
    let ops = [PixelOp::Rotate180];
    run(
        bencher,
        source,
        1920 * 1088,
        1,
        &ops,
        OutputEncoding::SameAsSource { jpeg_quality: 85 },
    );
}

/// An empty fill changes no pixel but sends the image the full way (decode to RGB, encode):
/// the same work as a quality change or turn had before the DCT-domain route.
const NO_FILL: PixelOp = PixelOp::FillRect {
    x0: 0,
    y0: 0,
    x1: 0,
    y1: 0,
    color: [0, 0, 0],
};

/// Quality change q90 → q85 of a 1920×1088 JPEG in the DCT domain (requantised coefficients).
#[divan::bench(sample_count = 30)]
fn coef_requantise_q90_to_q85_1920x1088(bencher: Bencher) {
    run(
        bencher,
        &HD_ALIGNED,
        1920 * 1088,
        1,
        &[],
        OutputEncoding::Jpeg { quality: 85 },
    );
}

/// The same quality change the full way: decode to RGB, encode.
#[divan::bench(sample_count = 30)]
fn full_requantise_q90_to_q85_1920x1088(bencher: Bencher) {
    run(
        bencher,
        &HD_ALIGNED,
        1920 * 1088,
        1,
        &[NO_FILL],
        OutputEncoding::Jpeg { quality: 85 },
    );
}

/// 180° turn and q85 of a 1920×1088 JPEG in the DCT domain.
#[divan::bench(sample_count = 30)]
fn coef_rotate_q85_1920x1088(bencher: Bencher) {
    run(
        bencher,
        &HD_ALIGNED,
        1920 * 1088,
        1,
        &[PixelOp::Rotate180],
        OutputEncoding::Jpeg { quality: 85 },
    );
}

/// The same turn the full way: decode to RGB, turn, encode.
#[divan::bench(sample_count = 30)]
fn full_rotate_q85_1920x1088(bencher: Bencher) {
    run(
        bencher,
        &HD_ALIGNED,
        1920 * 1088,
        1,
        &[PixelOp::Rotate180, NO_FILL],
        OutputEncoding::Jpeg { quality: 85 },
    );
}

/// EXIF orientation 6 (a transposing copy) and a filled box, then encode q85.
#[divan::bench(sample_count = 30)]
fn turbo_orientation6_fill_encode_q85(bencher: Bencher) {
    let source = &*HD;
    let ops = [PixelOp::FillRect {
        x0: 100,
        y0: 200,
        x1: 600,
        y1: 900,
        color: [0, 0, 0],
    }];
    run(
        bencher,
        source,
        1920 * 1080,
        6,
        &ops,
        OutputEncoding::Jpeg { quality: 85 },
    );
}

/// PNG → turn → PNG (the `image` crate's codec, fast deflate).
#[divan::bench(sample_count = 10)]
fn png_rotate_png(bencher: Bencher) {
    let source = &*HD_PNG;
    let ops = [PixelOp::Rotate180];
    run(
        bencher,
        source,
        1920 * 1080,
        1,
        &ops,
        OutputEncoding::SameAsSource { jpeg_quality: 85 },
    );
}

/// For scale: the `image` crate alone (zune-jpeg decoding, its own 4:4:4 baseline encoder).
#[divan::bench(sample_count = 10)]
fn image_crate_decode_rotate_encode_q85(bencher: Bencher) {
    let source = &*HD;
    bencher
        .counter(ItemsCount::new(1920usize * 1080))
        .bench(|| {
            let turned = image::load_from_memory(source).unwrap().rotate180();
            let mut out = Cursor::new(Vec::new());
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
                .encode_image(&turned)
                .unwrap();
            out.into_inner()
        });
}

/// A 16-bit grey 640×512 thermal-like frame (14-bit values), as PNG.
static THERMAL_PNG: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let image = image::ImageBuffer::from_fn(640, 512, |x, y| {
        image::Luma([7000 + ((x * 13 + y * 7) % 900) as u16])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
});

/// A 320-pixel preview (EDA gallery, image endpoint) of a 1920×1080 JPEG: 1/4-scale DCT decode,
/// resize, encode q80. Items are source pixels.
#[divan::bench(sample_count = 30)]
fn preview_jpeg_1920x1080_to_320(bencher: Bencher) {
    let source = &*HD;
    bencher
        .counter(ItemsCount::new(1920usize * 1080))
        .bench(|| preview(source, 320, &PreviewOptions::default()).unwrap());
}

/// A 320-pixel preview of a 16-bit 640×512 PNG: full decode, percentile window, resize, encode.
#[divan::bench(sample_count = 30)]
fn preview_png16_640x512_to_320(bencher: Bencher) {
    let source = &*THERMAL_PNG;
    bencher
        .counter(ItemsCount::new(640usize * 512))
        .bench(|| preview(source, 320, &PreviewOptions::default()).unwrap());
}
