//! The report is a function of the dataset: not of the order of its images, nor of the number
//! of threads; the scatter keeps the same points when downsampled.

use std::path::PathBuf;

use datamill_core::codecs::Dataset;
use datamill_core::eda::{self, EdaLimits, EdaOptions, EdaReport, NoProgress};
use datamill_core::geometry::BBox;
use datamill_core::synth::{self, SynthConfig};
use datamill_core::{
    Annotation, AnnotationFormat, Category, CategoryId, DatasetMeta, Diagnostics, Files,
    ImageRecord,
};
use proptest::prelude::*;

fn dataset(meta: DatasetMeta) -> Dataset {
    Dataset {
        meta,
        diagnostics: Diagnostics::default(),
        image_root: PathBuf::from("images"),
        annotation_files: vec!["annotation.json".to_owned()],
    }
}

fn report(meta: &DatasetMeta, limits: EdaLimits) -> EdaReport {
    let options = EdaOptions {
        inspect_images: false,
        limits,
        ..EdaOptions::default()
    };
    eda::analyse_dataset(
        Files::local(),
        AnnotationFormat::Coco,
        &dataset(meta.clone()),
        &options,
        &NoProgress,
    )
    .unwrap()
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

/// A deterministic shuffle (Fisher–Yates with an LCG).
fn shuffled<T>(mut items: Vec<T>, seed: u64) -> Vec<T> {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        items.swap(i, (state >> 33) as usize % (i + 1));
    }
    items
}

#[test]
fn shuffled_images_and_one_or_two_threads_give_the_same_report() {
    let meta = synth::generate(&SynthConfig {
        images: 3000,
        seed: 11,
        ..SynthConfig::default()
    });
    assert!(meta.annotation_count() > 5000, "enough boxes to downsample");
    let limits = EdaLimits::default();
    let one = in_pool(1, || report(&meta, limits));
    let two = in_pool(2, || report(&meta, limits));
    assert_eq!(one, two);
    assert_eq!(one.box_sizes.sampled, 5000);
    assert_eq!(one.box_sizes.total, meta.annotation_count() as u64);
    let mut reordered = meta.clone();
    reordered.images = shuffled(reordered.images, 5);
    assert_ne!(reordered.images[0].id, meta.images[0].id);
    assert_eq!(in_pool(2, || report(&reordered, limits)), one);
}

#[test]
fn a_larger_sample_contains_the_smaller_one() {
    let meta = synth::generate(&SynthConfig {
        images: 500,
        seed: 3,
        ..SynthConfig::default()
    });
    let points = |max_points| {
        let sizes = report(
            &meta,
            EdaLimits {
                max_points,
                ..EdaLimits::default()
            },
        )
        .box_sizes;
        sizes
            .points
            .width
            .iter()
            .zip(&sizes.points.height)
            .map(|(w, h)| (w.map(f64::to_bits), h.map(f64::to_bits)))
            .collect::<Vec<_>>()
    };
    let (small, large) = (points(100), points(1000));
    assert_eq!(small.len(), 100);
    // Points are listed by their sampling key: the first 100 of 1000 are the 100.
    assert_eq!(small, large[..100]);
}

fn image_strategy() -> impl Strategy<Value = Vec<Vec<(i64, [f64; 4])>>> {
    prop::collection::vec(
        prop::collection::vec(
            (
                0i64..4,
                (
                    -20.0f64..120.0,
                    -20.0f64..120.0,
                    -5.0f64..60.0,
                    -5.0f64..60.0,
                ),
            )
                .prop_map(|(class, (x, y, w, h))| (class, [x, y, w, h])),
            0..6,
        ),
        1..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_dataset_reports_the_same_in_any_order(images in image_strategy(), seed in any::<u64>()) {
        let meta = DatasetMeta {
            categories: vec![Category::new(0, "a"), Category::new(1, "b")],
            images: images
                .iter()
                .enumerate()
                .map(|(index, boxes)| {
                    let mut image = ImageRecord::new(index as i64, format!("{index}.jpg"), 100, 100);
                    image.annotations = boxes
                        .iter()
                        .map(|(class, [x, y, w, h])| {
                            Annotation::bbox(CategoryId(*class), BBox::new(*x, *y, *w, *h))
                        })
                        .collect();
                    image
                })
                .collect(),
            ..DatasetMeta::default()
        };
        let limits = EdaLimits { max_points: 7, examples: 3, ..EdaLimits::default() };
        let expected = in_pool(1, || report(&meta, limits));
        let mut reordered = meta.clone();
        reordered.images = shuffled(reordered.images, seed);
        prop_assert_eq!(&in_pool(2, || report(&reordered, limits)), &expected);
        // The counts add up.
        let objects: u64 = images.iter().map(|b| b.len() as u64).sum();
        prop_assert_eq!(expected.summary.objects, objects);
        prop_assert_eq!(
            expected.box_sizes.total + expected.health.degenerate_boxes.count,
            objects
        );
        let buckets = &expected.size_buckets;
        prop_assert_eq!(buckets.small + buckets.medium + buckets.large + buckets.unknown, objects);
        let heat = &expected.centre_heatmap;
        prop_assert_eq!(heat.total + heat.outside + heat.unknown, expected.box_sizes.total);
        prop_assert_eq!(expected.boxes_per_image.total, images.len() as u64);
    }
}
