//! What each format adds: ATTR_JSON's attribute balance, class folders' per-class counts (a real
//! corpus sample), 16-bit thermal intensities.

use std::path::{Path, PathBuf};

use datamill_core::AnnotationFormat;
use datamill_core::eda::{self, EdaOptions, NoProgress};
use serde_json::json;

use super::support::{analyse, jpeg, names, png16, write};

fn corpus(relative: &str) -> PathBuf {
    std::env::var_os("DATAMILL_CORPUS")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
            PathBuf::from,
        )
        .join(relative)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn attr_json_attributes_are_balanced_per_value_with_missing_labels_apart() {
    let dir = tempfile::tempdir().unwrap();
    let document = json!({
        "format": "ATTR_JSON",
        "version": 1,
        "attribute_schema": [
            {"name": "hat", "type": "bool", "applies_to": "image"},
            {"name": "age", "type": "enum", "values": ["young", "adult", "old"], "applies_to": "image"},
            {"name": "colour", "type": "enum", "values": ["red", "blue"], "applies_to": "annotation"},
            {"name": "score", "type": "number", "minimum": 0, "maximum": 1, "applies_to": "annotation"}
        ],
        "categories": [{"id": 1, "name": "person"}],
        "images": [
            {"id": 1, "file_name": "1.jpg", "width": 10, "height": 10, "attributes": {"hat": true, "age": "young"}},
            {"id": 2, "file_name": "2.jpg", "width": 10, "height": 10, "attributes": {"hat": false, "age": null}},
            {"id": 3, "file_name": "3.jpg", "width": 10, "height": 10, "attributes": {"hat": true}},
            {"id": 4, "file_name": "4.jpg", "width": 10, "height": 10}
        ],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 4, 4], "iscrowd": 0,
             "attributes": {"colour": "red", "score": 0.5}},
            {"id": 2, "image_id": 2, "category_id": 1, "bbox": [1, 1, 4, 4], "iscrowd": 0,
             "attributes": {"colour": "red", "score": 1}},
            {"id": 3, "image_id": 3, "category_id": 1, "bbox": [1, 1, 4, 4], "iscrowd": 0,
             "attributes": {"colour": null}}
        ]
    });
    write(
        &dir.path().join("annotation.json"),
        document.to_string().as_bytes(),
    );
    let options = EdaOptions {
        inspect_images: false,
        ..EdaOptions::default()
    };
    let report = eda::analyse(
        datamill_core::Files::local(),
        dir.path(),
        AnnotationFormat::AttrJson,
        &options,
        &NoProgress,
    )
    .unwrap();
    let attributes = serde_json::to_value(&report.attributes).unwrap();
    assert_eq!(
        attributes,
        json!([
            {"name": "hat", "kind": "bool", "annotations": null, "images": {
                "labelled": 3, "missing": 1, "distinct": 2, "other": 0,
                "values": [{"value": true, "count": 2}, {"value": false, "count": 1}]}},
            {"name": "age", "kind": "enum", "annotations": null, "images": {
                "labelled": 1, "missing": 3, "distinct": 1, "other": 0,
                "values": [{"value": "young", "count": 1}, {"value": "adult", "count": 0},
                           {"value": "old", "count": 0}]}},
            {"name": "colour", "kind": "enum", "images": null, "annotations": {
                "labelled": 2, "missing": 1, "distinct": 1, "other": 0,
                "values": [{"value": "red", "count": 2}, {"value": "blue", "count": 0}]}},
            {"name": "score", "kind": "number", "images": null, "annotations": {
                "labelled": 2, "missing": 1, "distinct": 2, "other": 0,
                "values": [{"value": 0.5, "count": 1}, {"value": 1.0, "count": 1}]}}
        ])
    );
    assert_eq!(report.summary.images, 4);
    assert_eq!(report.classes[0].instances, 3);
}

#[test]
fn class_folders_count_images_per_class_from_their_labels() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &corpus("imagenet_folders/hymenoptera_real/train"),
        &dir.path().join("images"),
    );
    let report = analyse(dir.path(), AnnotationFormat::ClsFolder);
    let classes: Vec<_> = report
        .classes
        .iter()
        .map(|c| (c.id, c.name.as_str(), c.images, c.instances))
        .collect();
    assert_eq!(classes, [(0, "ants", 3, 3), (1, "bees", 2, 2)]);
    let summary = &report.summary;
    assert_eq!(
        (summary.images, summary.annotations, summary.objects),
        (5, 5, 0)
    );
    assert_eq!(
        serde_json::to_value(&summary.annotation_types).unwrap(),
        json!({"LABEL": 5})
    );
    assert_eq!(report.boxes_per_image.bins[0].count, 5);
    assert_eq!(report.box_sizes.total, 0);
    assert_eq!(report.cooccurrence.matrix, [[3, 0], [0, 2]]);
    let resolutions = &report.resolutions;
    assert_eq!((resolutions.images, resolutions.unknown), (5, 0));
    assert_eq!(resolutions.formats.get("JPEG"), Some(&4));
    assert_eq!(resolutions.formats.get("GIF"), Some(&1));
    assert!(
        resolutions
            .top
            .iter()
            .any(|r| (r.width, r.height) == (300, 300))
    );
    assert_eq!(summary.health_issues, 0, "{:#?}", report.health);
}

#[test]
fn sixteen_bit_images_get_an_intensity_histogram_and_a_corrupt_one_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    write(&images.join("t1.png"), &png16(10, 10, |_, _| 1000));
    write(
        &images.join("t2.png"),
        &png16(10, 10, |x, y| if (x, y) == (9, 9) { 16_383 } else { 3000 }),
    );
    // A third frame whose compressed data is damaged but whose end is intact.
    let mut broken = png16(10, 10, |x, _| 500 + x as u16);
    let idat = broken.windows(4).position(|w| w == b"IDAT").unwrap();
    for byte in &mut broken[idat + 6..idat + 14] {
        *byte ^= 0x5A;
    }
    write(&images.join("t3.png"), &broken);
    write(&images.join("photo.jpg"), &jpeg(16, 16, 9));
    let report = analyse(dir.path(), AnnotationFormat::None);
    let thermal = report.thermal.expect("thermal statistics");
    assert_eq!((thermal.images, thermal.sampled, thermal.failed), (3, 3, 1));
    assert_eq!((thermal.bit_depth, thermal.effective_bits), (16, 14));
    assert_eq!(thermal.samples, 200);
    assert_eq!(
        (
            thermal.min,
            thermal.max,
            thermal.p1,
            thermal.p50,
            thermal.p99
        ),
        (1000, 16_383, 1000, 3000, 3000)
    );
    assert_eq!(thermal.mean, 2066.915);
    assert_eq!(thermal.histogram.start, 1000);
    assert_eq!(thermal.histogram.counts.iter().sum::<u64>(), 200);
    assert_eq!(thermal.histogram.counts[0], 100);
    assert_eq!(*thermal.histogram.counts.last().unwrap(), 1);
    let unreadable = report.health.unreadable_images.unwrap();
    assert_eq!(
        (unreadable.count, names(&unreadable.examples)),
        (1, vec!["t3.png"])
    );
    assert!(
        unreadable.examples[0]
            .detail
            .starts_with("the file does not decode (cannot decode PNG"),
        "{}",
        unreadable.examples[0].detail
    );
    // The images without annotations of an images-only dataset are all of them.
    assert_eq!(report.summary.images_without_annotations, 4);
}
