//! Micro-benchmarks of the hot paths: COCO parse and write, RLE (de)compression, polygon
//! rasterisation. `cargo bench -p datamill-core --bench codecs`; the end-to-end table with Python
//! peers is `make bench` (docs/benchmarks.md).
//!
//! Fixtures come from the synthetic generator (seeded), so every run measures the same data.
//! Fixture set-up failing is a bug in the benchmark, hence the `expect`s.

use std::hint::black_box;
use std::sync::LazyLock;

use datamill_core::codecs::{WriteOptions, coco};
use datamill_core::format::AnnotationFormat;
use datamill_core::geometry::{Segmentation, rle};
use datamill_core::model::DatasetMeta;
use datamill_core::synth::{self, SynthConfig};
use datamill_core::{ConversionReport, Files};
use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

fn main() {
    divan::main();
}

/// A COCO-like dataset of 2,000 images (≈ 14,600 annotations, ≈ 7 MB of JSON).
static META: LazyLock<DatasetMeta> = LazyLock::new(|| {
    synth::generate(&SynthConfig {
        images: 2000,
        seed: 42,
        annotations_only: true,
        ..SynthConfig::default()
    })
});

/// [`META`] as `annotation.json` bytes, written by our own writer.
static COCO_JSON: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut report = ConversionReport::new(None, AnnotationFormat::Coco);
    coco::write(
        Files::local(),
        &META,
        dir.path(),
        &WriteOptions::default(),
        &mut report,
    )
    .expect("the generated dataset writes as COCO");
    std::fs::read(dir.path().join("annotation.json")).expect("the written annotation.json")
});

/// One object's polygon parts with its image's height and width.
type Polygon = (Vec<Vec<f64>>, u32, u32);

/// The polygons of [`META`] with their image sizes, for rasterisation.
static POLYGONS: LazyLock<Vec<Polygon>> = LazyLock::new(|| {
    META.images
        .iter()
        .flat_map(|image| {
            image
                .annotations
                .iter()
                .filter_map(|a| match &a.segmentation {
                    Some(Segmentation::Polygons(parts)) if !parts.is_empty() => {
                        Some((parts.clone(), image.height, image.width))
                    }
                    _ => None,
                })
        })
        .take(2000)
        .collect()
});

/// Run lengths of those polygons' masks (what RLE compression sees in COCO results files).
static RUNS: LazyLock<Vec<Vec<u32>>> = LazyLock::new(|| {
    POLYGONS
        .iter()
        .map(|(parts, height, width)| {
            rle::from_polygons(parts, *height, *width)
                .runs()
                .expect("a rasterised polygon has consistent runs")
        })
        .collect()
});

static COMPRESSED: LazyLock<Vec<String>> =
    LazyLock::new(|| RUNS.iter().map(|runs| rle::to_compressed(runs)).collect());

#[divan::bench]
fn coco_parse(bencher: Bencher) {
    let bytes: &[u8] = &COCO_JSON;
    bencher
        .counter(BytesCount::new(bytes.len()))
        .bench(|| coco::parse_bytes(black_box(bytes), "annotation.json"));
}

#[divan::bench]
fn coco_write(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let meta: &DatasetMeta = &META;
    bencher.counter(BytesCount::new(COCO_JSON.len())).bench(|| {
        let mut report = ConversionReport::new(None, AnnotationFormat::Coco);
        coco::write(
            Files::local(),
            black_box(meta),
            dir.path(),
            &WriteOptions::default(),
            &mut report,
        )
    });
}

#[divan::bench]
fn synth_generate(bencher: Bencher) {
    let config = SynthConfig {
        images: 2000,
        seed: 42,
        annotations_only: true,
        ..SynthConfig::default()
    };
    bencher
        .counter(ItemsCount::new(config.images))
        .bench(|| synth::generate(black_box(&config)));
}

#[divan::bench]
fn rle_compress(bencher: Bencher) {
    let runs: &[Vec<u32>] = &RUNS;
    bencher.counter(ItemsCount::new(runs.len())).bench(|| {
        runs.iter()
            .map(|r| rle::to_compressed(black_box(r)).len())
            .sum::<usize>()
    });
}

#[divan::bench]
fn rle_decompress(bencher: Bencher) {
    let texts: &[String] = &COMPRESSED;
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        texts
            .iter()
            .map(|t| rle::from_compressed(black_box(t)).map_or(0, |r| r.len()))
            .sum::<usize>()
    });
}

#[divan::bench]
fn polygon_rasterise(bencher: Bencher) {
    let polygons: &[Polygon] = &POLYGONS;
    bencher.counter(ItemsCount::new(polygons.len())).bench(|| {
        polygons
            .iter()
            .map(|(parts, h, w)| rle::from_polygons(black_box(parts), *h, *w).width)
            .sum::<u32>()
    });
}
