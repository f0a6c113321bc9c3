//! Corpus tests for the COCO codec: every instances sample round-trips, every look-alike is
//! refused with a message naming what it is.

use datamill_core::Files;
use datamill_core::codecs::{self, CodecError, ReadOptions, WriteOptions};
use datamill_core::report::ConversionReport;
use datamill_core::{AnnotationFormat, CategoryId, ProblemCode};

use super::support::sample;

fn read(relative: &str) -> codecs::Dataset {
    codecs::read(
        Files::local(),
        AnnotationFormat::Coco,
        &sample(relative),
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// read → write → read gives the same model; the written file is snapshotted.
fn round_trip(relative: &str, snapshot: &str) -> codecs::Dataset {
    let first = read(relative);
    let out = tempfile::tempdir().expect("temp dir");
    let options = WriteOptions {
        pretty_json: true,
        ..WriteOptions::default()
    };
    let mut report = ConversionReport::new(Some(AnnotationFormat::Coco), AnnotationFormat::Coco);
    codecs::write(
        Files::local(),
        AnnotationFormat::Coco,
        &first.meta,
        out.path(),
        &options,
        &mut report,
    )
    .expect("writes");
    assert!(
        report.summary.is_empty(),
        "an untouched COCO file loses nothing: {report:?}"
    );
    let second = codecs::read(
        Files::local(),
        AnnotationFormat::Coco,
        out.path(),
        &ReadOptions::default(),
    )
    .expect("reads back");
    assert_eq!(
        first.meta, second.meta,
        "{relative} changed in a round trip"
    );
    let written = std::fs::read_to_string(out.path().join("annotation.json")).expect("written");
    insta::assert_snapshot!(snapshot, written);
    first
}

#[test]
fn real_coco_val2017_keeps_its_80_categories_with_gapped_ids() {
    let dataset = round_trip(
        "coco/apple_ml-cvnets_val2017_subset/annotations/instances_val2017.json",
        "coco__apple_val2017",
    );
    let meta = &dataset.meta;
    assert_eq!(meta.categories.len(), 80);
    assert_eq!(meta.categories.last().map(|c| c.id), Some(CategoryId(90)));
    assert_eq!(meta.images.len(), 2);
    assert!(meta.source.extra.contains_key("info"));
    assert!(meta.source.extra.contains_key("licenses"));
    assert!(
        !dataset.diagnostics.has_errors(),
        "{:?}",
        dataset.diagnostics
    );
}

#[test]
fn roboflow_chess_keeps_the_unused_category_zero_and_ids_from_zero() {
    let dataset = round_trip(
        "coco/roboflow_chess_pieces_cc0/valid",
        "coco__roboflow_chess",
    );
    let meta = &dataset.meta;
    assert_eq!(meta.images.len(), 58);
    assert_eq!(meta.annotation_count(), 386);
    assert_eq!(meta.categories[0].id, CategoryId(0));
    assert_eq!(meta.categories[0].name, "pieces");
    assert_eq!(meta.class_histogram()[&CategoryId(0)], 0);
    assert_eq!(meta.images[0].id.0, 0);
    // Roboflow layout: the images sit beside _annotations.coco.json.
    assert!(dataset.image_root.ends_with("valid"));
}

#[test]
fn datumaro_instances_keep_uncompressed_rle_crowds_and_attributes() {
    let dataset = round_trip(
        "coco/datumaro_coco_instances/annotations/instances_val.json",
        "coco__datumaro_val",
    );
    let annotations = &dataset.meta.images[0].annotations;
    assert_eq!(annotations.len(), 2);
    assert!(annotations[1].iscrowd);
    assert!(matches!(
        annotations[1].segmentation,
        Some(datamill_core::geometry::Segmentation::Rle(_))
    ));
    assert_eq!(annotations[0].attributes.len(), 2);
    assert!(
        dataset.image_root.ends_with("images/val"),
        "{}",
        dataset.image_root.display()
    );
    round_trip(
        "coco/datumaro_coco_instances/annotations/instances_train.json",
        "coco__datumaro_train",
    );
}

#[test]
fn roboflow_layouts_with_id_zero_round_trip() {
    for (relative, snapshot) in [
        (
            "coco/datumaro_coco_roboflow_layout/train",
            "coco__roboflow_layout_train",
        ),
        (
            "coco/datumaro_coco_roboflow_layout/val",
            "coco__roboflow_layout_val",
        ),
        (
            "coco/datumaro_roboflow_coco/train",
            "coco__roboflow_coco_train",
        ),
        ("coco/datumaro_roboflow_coco/val", "coco__roboflow_coco_val"),
    ] {
        round_trip(relative, snapshot);
    }
}

#[test]
fn mmdetection_sample_keeps_score_null_info_and_the_image_without_annotations() {
    let dataset = round_trip(
        "coco/mmdetection_tests/coco_sample.json",
        "coco__mmdet_sample",
    );
    let meta = &dataset.meta;
    assert_eq!(meta.images.len(), 3);
    assert!(
        meta.images[2].annotations.is_empty(),
        "fake3.jpg is a negative"
    );
    assert_eq!(meta.source.extra["info"], serde_json::Value::Null);
    assert!(meta.images[0].annotations[0].extra.contains_key("score"));
}

#[test]
fn duplicate_annotation_ids_are_an_error_with_their_location() {
    let dataset = read("coco/mmdetection_tests/coco_wrong_format_sample.json");
    let duplicates: Vec<String> = dataset
        .diagnostics
        .of(ProblemCode::DuplicateId)
        .map(ToString::to_string)
        .collect();
    insta::assert_debug_snapshot!("coco__mmdet_wrong_format_problems", duplicates);
    assert!(dataset.diagnostics.has_errors());
}

#[test]
fn keypoint_files_with_boxes_read_as_detection_and_keep_keypoints() {
    let dataset = round_trip(
        "coco/datumaro_coco_keypoints/annotations/person_keypoints_train.json",
        "coco__keypoints_train",
    );
    let annotation = &dataset.meta.images[0].annotations[0];
    assert!(annotation.extra.contains_key("keypoints"));
    assert!(dataset.meta.categories[0].extra.contains_key("skeleton"));
    assert_eq!(dataset.diagnostics.of(ProblemCode::Unsupported).count(), 1);
}

fn refusal(relative: &str) -> String {
    match codecs::read(
        Files::local(),
        AnnotationFormat::Coco,
        &sample(relative),
        &ReadOptions::default(),
    ) {
        Err(error @ CodecError::WrongKind { .. }) => {
            let text = error.to_string();
            text.replace(&super::support::corpus().display().to_string(), "<corpus>")
        }
        Err(other) => panic!("{relative}: expected a refusal, got {other}"),
        Ok(_) => panic!("{relative}: expected a refusal, but it was read"),
    }
}

#[test]
fn look_alikes_are_refused_with_what_they_are() {
    let messages: Vec<String> = [
        "coco/cocoapi_results_not_a_dataset/instances_val2014_fakebbox100_results.json",
        "coco/cocoapi_results_not_a_dataset/instances_val2014_fakesegm100_results.json",
        "coco/datumaro_coco_captions/annotations/captions_train.json",
        "coco/datumaro_coco_panoptic/annotations/panoptic_train.json",
    ]
    .into_iter()
    .map(refusal)
    .collect();
    insta::assert_debug_snapshot!("coco__refusals", messages);
}
