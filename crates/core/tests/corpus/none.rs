//! Corpus tests for the images-only (`none`) and opaque (`custom`) layouts.

use datamill_core::AnnotationFormat;
use datamill_core::Files;
use datamill_core::codecs::{self, ReadOptions};

use super::support::sample;

#[test]
fn pa100k_demo_images_read_as_images_only_with_their_header_sizes() {
    let dataset = codecs::read(
        Files::local(),
        AnnotationFormat::None,
        &sample("attributes/paddleclas_pa100k_demo"),
        &ReadOptions::default(),
    )
    .expect("reads");
    let images: Vec<(&str, u32, u32)> = dataset
        .meta
        .images
        .iter()
        .map(|i| (i.file_name.as_str(), i.width, i.height))
        .collect();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0].0, "090004.jpg");
    assert!(
        images.iter().all(|&(_, w, h)| w > 0 && h > w),
        "pedestrian crops are portrait: {images:?}"
    );
    assert_eq!(dataset.meta.annotation_count(), 0);
    assert!(
        !dataset.diagnostics.has_errors(),
        "{:?}",
        dataset.diagnostics
    );
}

#[test]
fn a_custom_dataset_is_counted_not_interpreted() {
    let dataset = codecs::read(
        Files::local(),
        AnnotationFormat::Custom,
        &sample("voc/datumaro_voc_dataset1"),
        &ReadOptions::default(),
    )
    .expect("reads");
    assert_eq!(dataset.meta.annotation_count(), 0);
    let files = dataset
        .meta
        .source
        .extra
        .get("file_count")
        .and_then(serde_json::Value::as_u64);
    assert!(files.is_some_and(|n| n >= 30), "{files:?}");
}
