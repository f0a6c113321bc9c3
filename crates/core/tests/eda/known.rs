//! One hand-built dataset whose every number is known, as COCO and as YOLO.
//!
//! | file | on disk | annotated size | objects |
//! |---|---|---|---|
//! | a.jpg | 100×80 | 100×80 | cat [10,10,20,20], dog [0,0,50,40] |
//! | b.jpg | the same bytes as a.jpg | 100×80 | cat [60,40,40,40] |
//! | c.jpg | 120×80 | 100×80 (mismatch) | none |
//! | rotated.jpg | 100×80, EXIF orientation 6 (shown 80×100) | 80×100 | dog [5,5,10,10] |
//! | corrupt.jpg | a 100×80 JPEG cut at 60 % | 100×80 | cat [0,0,0,10] (degenerate) |
//! | missing.jpg | not there | 100×80 | dog [10,10,20,20] |
//! | big.png | 200×150 | 200×150 | cat [0,0,150,100] area 12000, dog [150,100,60,60] (10 px out) |
//!
//! Categories: 1 cat, 2 dog, 3 bird (unused).

use std::fmt::Write as _;
use std::path::Path;

use datamill_core::AnnotationFormat;
use datamill_core::eda::{EdaReport, ResolutionSource};
use serde_json::json;

use super::support::{analyse, jpeg, names, png_rgb, with_orientation, write};

/// (file name, annotated width, height, objects as (category id, box, stated area)).
type Row = (&'static str, u32, u32, Vec<(i64, [f64; 4], Option<f64>)>);

fn rows() -> Vec<Row> {
    vec![
        (
            "a.jpg",
            100,
            80,
            vec![
                (1, [10.0, 10.0, 20.0, 20.0], None),
                (2, [0.0, 0.0, 50.0, 40.0], None),
            ],
        ),
        ("b.jpg", 100, 80, vec![(1, [60.0, 40.0, 40.0, 40.0], None)]),
        ("c.jpg", 100, 80, vec![]),
        (
            "rotated.jpg",
            80,
            100,
            vec![(2, [5.0, 5.0, 10.0, 10.0], None)],
        ),
        (
            "corrupt.jpg",
            100,
            80,
            vec![(1, [0.0, 0.0, 0.0, 10.0], None)],
        ),
        (
            "missing.jpg",
            100,
            80,
            vec![(2, [10.0, 10.0, 20.0, 20.0], None)],
        ),
        (
            "big.png",
            200,
            150,
            vec![
                (1, [0.0, 0.0, 150.0, 100.0], Some(12_000.0)),
                (2, [150.0, 100.0, 60.0, 60.0], None),
            ],
        ),
    ]
}

/// The image files (everything but missing.jpg).
fn write_images(images: &Path) {
    let a = jpeg(100, 80, 1);
    write(&images.join("a.jpg"), &a);
    write(&images.join("b.jpg"), &a);
    write(&images.join("c.jpg"), &jpeg(120, 80, 2));
    write(
        &images.join("rotated.jpg"),
        &with_orientation(&jpeg(100, 80, 3), 6),
    );
    let whole = jpeg(100, 80, 4);
    write(&images.join("corrupt.jpg"), &whole[..whole.len() * 6 / 10]);
    write(&images.join("big.png"), &png_rgb(200, 150));
}

fn coco_dataset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_images(&dir.path().join("images"));
    let mut images = Vec::new();
    let mut annotations = Vec::new();
    for (index, (name, width, height, objects)) in rows().into_iter().enumerate() {
        let image_id = index as i64 + 1;
        images.push(json!({"id": image_id, "file_name": name, "width": width, "height": height}));
        for (category, bbox, area) in objects {
            let mut annotation = json!({
                "id": annotations.len() + 1, "image_id": image_id, "category_id": category,
                "bbox": bbox, "iscrowd": 0
            });
            if let Some(area) = area {
                annotation["area"] = json!(area);
            }
            annotations.push(annotation);
        }
    }
    let document = json!({
        "images": images,
        "annotations": annotations,
        "categories": [
            {"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}, {"id": 3, "name": "bird"}
        ]
    });
    write(
        &dir.path().join("annotation.json"),
        document.to_string().as_bytes(),
    );
    dir
}

/// The same data as Ultralytics YOLO: classes 0 cat, 1 dog, 2 bird; rows normalised by the
/// annotated (displayed) size; missing.jpg's label stays without its image.
fn yolo_dataset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_images(&dir.path().join("images"));
    for (name, width, height, objects) in rows() {
        if objects.is_empty() {
            continue;
        }
        let (w, h) = (f64::from(width), f64::from(height));
        let mut text = String::new();
        for (category, [x, y, bw, bh], _) in &objects {
            let _ = writeln!(
                text,
                "{} {:.6} {:.6} {:.6} {:.6}",
                category - 1,
                (x + bw / 2.0) / w,
                (y + bh / 2.0) / h,
                bw / w,
                bh / h
            );
        }
        let stem = name.rsplit_once('.').unwrap().0;
        write(
            &dir.path().join(format!("labels/{stem}.txt")),
            text.as_bytes(),
        );
    }
    write(
        &dir.path().join("data.yaml"),
        b"path: .\ntrain: images\nval: images\nnc: 3\nnames: [cat, dog, bird]\n",
    );
    dir
}

fn classes(report: &EdaReport) -> Vec<(i64, &str, u64, u64, [u64; 4])> {
    report
        .classes
        .iter()
        .map(|c| {
            (
                c.id,
                c.name.as_str(),
                c.images,
                c.instances,
                [
                    c.sizes.small,
                    c.sizes.medium,
                    c.sizes.large,
                    c.sizes.unknown,
                ],
            )
        })
        .collect()
}

fn bins(report: &EdaReport) -> Vec<(u64, u64)> {
    report
        .boxes_per_image
        .bins
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| (b.min, b.count))
        .collect()
}

/// Non-empty heatmap cells as (row, column, count).
fn cells(report: &EdaReport) -> Vec<(usize, usize, u64)> {
    let grid = report.centre_heatmap.grid as usize;
    report
        .centre_heatmap
        .counts
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i / grid, i % grid, *n))
        .collect()
}

#[test]
fn every_number_of_the_coco_dataset_is_exact() {
    let dir = coco_dataset();
    let report = analyse(dir.path(), AnnotationFormat::Coco);
    let summary = &report.summary;
    assert_eq!(
        (
            summary.images,
            summary.annotations,
            summary.objects,
            summary.classes
        ),
        (7, 8, 8, 3)
    );
    assert_eq!(
        (summary.classes_used, summary.images_without_annotations),
        (2, 1)
    );
    assert!(summary.images_inspected);
    assert_eq!(summary.health_issues, 8);
    assert_eq!(summary.reader.errors, 0);

    assert_eq!(
        classes(&report),
        [
            (1, "cat", 4, 4, [1, 1, 1, 1]),
            (2, "dog", 4, 4, [2, 2, 0, 0]),
            (3, "bird", 0, 0, [0, 0, 0, 0]),
        ]
    );
    assert_eq!(bins(&report), [(0, 1), (1, 4), (2, 2)]);
    let per_image = &report.boxes_per_image;
    assert_eq!(
        (per_image.total, per_image.median, per_image.max),
        (7, 1, 2)
    );
    assert_eq!(per_image.mean, 1.1429);

    let buckets = &report.size_buckets;
    assert_eq!(
        (
            buckets.small,
            buckets.medium,
            buckets.large,
            buckets.unknown
        ),
        (3, 3, 1, 1)
    );
    assert_eq!(
        (buckets.area_from_annotation, buckets.area_from_box),
        (1, 6)
    );

    let sizes = &report.box_sizes;
    assert_eq!(
        (
            sizes.total,
            sizes.sampled,
            sizes.with_pixels,
            sizes.with_normalised
        ),
        (7, 7, 7, 7)
    );
    let mut widths: Vec<f64> = sizes.points.width.iter().map(|w| w.unwrap()).collect();
    widths.sort_by(f64::total_cmp);
    assert_eq!(widths, [10.0, 20.0, 20.0, 40.0, 50.0, 60.0, 150.0]);
    let big_dog = sizes
        .points
        .width
        .iter()
        .position(|w| *w == Some(60.0))
        .unwrap();
    assert_eq!(sizes.points.norm_width[big_dog], Some(0.3));
    assert_eq!(sizes.points.norm_height[big_dog], Some(0.4));
    assert_eq!(sizes.points.class_id[big_dog], Some(2));

    assert_eq!(
        cells(&report),
        [
            (1, 2, 1),
            (4, 3, 2),
            (4, 4, 1),
            (5, 6, 1),
            (12, 12, 1),
            (13, 14, 1)
        ]
    );
    let heatmap = &report.centre_heatmap;
    assert_eq!((heatmap.total, heatmap.outside, heatmap.unknown), (7, 0, 0));

    assert_eq!(report.cooccurrence.class_ids, [1, 2]);
    assert_eq!(report.cooccurrence.matrix, [[4, 2], [2, 4]]);
    assert!(!report.cooccurrence.truncated);

    let resolutions = &report.resolutions;
    assert_eq!(resolutions.source, ResolutionSource::Headers);
    assert_eq!(
        (
            resolutions.images,
            resolutions.unknown,
            resolutions.distinct
        ),
        (5, 2, 4)
    );
    let top: Vec<_> = resolutions
        .top
        .iter()
        .map(|r| (r.width, r.height, r.images))
        .collect();
    assert_eq!(
        top,
        [(100, 80, 2), (200, 150, 1), (120, 80, 1), (80, 100, 1)]
    );
    assert_eq!(resolutions.other, 0);
    assert_eq!(
        (
            resolutions.width.min,
            resolutions.width.median,
            resolutions.width.mean,
            resolutions.width.max
        ),
        (80.0, 100.0, 120.0, 200.0)
    );
    assert_eq!(resolutions.megapixels.counts[0], 5);
    assert_eq!(resolutions.formats.get("JPEG"), Some(&4));
    assert_eq!(resolutions.formats.get("PNG"), Some(&1));

    let health = &report.health;
    assert_eq!(
        names(&health.images_without_annotations.examples),
        ["c.jpg"]
    );
    let missing = health.missing_files.as_ref().unwrap();
    assert_eq!(
        (missing.count, names(&missing.examples)),
        (1, vec!["missing.jpg"])
    );
    assert_eq!(missing.examples[0].image_id, Some(6));
    let degenerate = &health.degenerate_boxes;
    assert_eq!(degenerate.count, 1);
    assert_eq!(degenerate.examples[0].file_name, "corrupt.jpg");
    assert_eq!(degenerate.examples[0].annotation_id, Some(5));
    assert_eq!(
        degenerate.examples[0].detail,
        "box [0, 0, 0, 10] has no area"
    );
    let out = &health.out_of_bounds_boxes;
    assert_eq!(out.count, 1);
    assert_eq!(
        (
            out.examples[0].file_name.as_str(),
            out.examples[0].annotation_index
        ),
        ("big.png", Some(1))
    );
    assert_eq!(
        out.examples[0].detail,
        "box [150, 100, 60, 60] reaches 10 px outside the 200×150 image"
    );
    let duplicates = health.duplicate_images.as_ref().unwrap();
    assert_eq!((duplicates.count, duplicates.images), (1, 2));
    assert_eq!(duplicates.groups[0].file_names, ["a.jpg", "b.jpg"]);
    assert_eq!(duplicates.groups[0].hash.len(), 32);
    let exif = health.exif_rotated.as_ref().unwrap();
    assert_eq!(exif.count, 1);
    assert_eq!(exif.by_orientation.get("6"), Some(&1));
    assert_eq!(
        exif.examples[0].detail,
        "EXIF orientation 6 (turned 90° clockwise); stored 100×80, shown 80×100"
    );
    let unreadable = health.unreadable_images.as_ref().unwrap();
    assert_eq!(
        (unreadable.count, names(&unreadable.examples)),
        (1, vec!["corrupt.jpg"])
    );
    assert!(
        unreadable.examples[0]
            .detail
            .starts_with("the file is cut short or corrupt (cannot decode JPEG: "),
        "{}",
        unreadable.examples[0].detail
    );
    let mismatches = health.size_mismatches.as_ref().unwrap();
    assert_eq!(
        (mismatches.count, names(&mismatches.examples)),
        (1, vec!["c.jpg"])
    );
    assert_eq!(
        mismatches.examples[0].detail,
        "the file is 120×80 as shown but the annotations say 100×80"
    );
    assert!(report.attributes.is_empty());
    assert!(report.thermal.is_none());
    assert!(report.gallery.is_empty());
}

#[test]
fn the_same_data_as_yolo_gives_the_same_numbers_where_the_formats_agree() {
    let dir = yolo_dataset();
    let report = analyse(dir.path(), AnnotationFormat::Yolo);
    let summary = &report.summary;
    // missing.jpg is no image in YOLO (its label file is an orphan), so its dog is not read.
    assert_eq!(
        (
            summary.images,
            summary.annotations,
            summary.objects,
            summary.classes
        ),
        (6, 7, 7, 3)
    );
    assert_eq!(summary.health_issues, 7);
    assert_eq!(summary.reader.by_code.get("orphan_label"), Some(&1));
    assert_eq!(
        classes(&report),
        [
            (0, "cat", 4, 4, [1, 1, 1, 1]),
            (1, "dog", 3, 3, [1, 2, 0, 0]),
            (2, "bird", 0, 0, [0, 0, 0, 0]),
        ]
    );
    assert_eq!(bins(&report), [(0, 1), (1, 3), (2, 2)]);
    let buckets = &report.size_buckets;
    assert_eq!(
        (
            buckets.small,
            buckets.medium,
            buckets.large,
            buckets.unknown
        ),
        (2, 3, 1, 1)
    );
    // YOLO states no areas: the big cat is large by its box (15,000 px²).
    assert_eq!(
        (buckets.area_from_annotation, buckets.area_from_box),
        (0, 6)
    );
    assert_eq!(report.box_sizes.total, 6);
    assert_eq!(
        cells(&report),
        [
            (1, 2, 1),
            (4, 3, 1),
            (4, 4, 1),
            (5, 6, 1),
            (12, 12, 1),
            (13, 14, 1)
        ]
    );
    assert_eq!(report.cooccurrence.matrix, [[4, 2], [2, 3]]);
    assert_eq!(
        (report.resolutions.images, report.resolutions.unknown),
        (5, 1)
    );

    let health = &report.health;
    assert_eq!(
        names(&health.images_without_annotations.examples),
        ["c.jpg"]
    );
    let missing = health.missing_files.as_ref().unwrap();
    assert_eq!(missing.count, 1);
    assert_eq!(missing.examples[0].file_name, "labels/missing.txt");
    assert_eq!(missing.examples[0].image_id, None);
    assert_eq!(health.degenerate_boxes.count, 1);
    assert_eq!(health.degenerate_boxes.examples[0].file_name, "corrupt.jpg");
    assert_eq!(health.out_of_bounds_boxes.count, 1);
    assert_eq!(
        health.out_of_bounds_boxes.examples[0].detail,
        "box [150, 100, 60, 60] reaches 10 px outside the 200×150 image"
    );
    assert_eq!(
        health.duplicate_images.as_ref().unwrap().groups[0].file_names,
        ["a.jpg", "b.jpg"]
    );
    assert_eq!(health.exif_rotated.as_ref().unwrap().count, 1);
    assert_eq!(
        names(&health.unreadable_images.as_ref().unwrap().examples),
        ["corrupt.jpg"]
    );
    // YOLO takes sizes from the headers: nothing to disagree with.
    assert_eq!(health.size_mismatches.as_ref().unwrap().count, 0);
}

#[test]
fn without_inspecting_images_the_file_checks_are_null_and_sizes_come_from_annotations() {
    let dir = coco_dataset();
    let options = datamill_core::eda::EdaOptions {
        inspect_images: false,
        ..Default::default()
    };
    let report = datamill_core::eda::analyse(
        datamill_core::Files::local(),
        dir.path(),
        AnnotationFormat::Coco,
        &options,
        &datamill_core::eda::NoProgress,
    )
    .unwrap();
    assert!(!report.summary.images_inspected);
    assert_eq!(report.summary.health_issues, 3);
    let health = &report.health;
    assert!(health.missing_files.is_none() && health.duplicate_images.is_none());
    assert!(health.exif_rotated.is_none() && health.unreadable_images.is_none());
    assert!(health.size_mismatches.is_none());
    let resolutions = &report.resolutions;
    assert_eq!(resolutions.source, ResolutionSource::Annotations);
    assert_eq!(
        (
            resolutions.images,
            resolutions.unknown,
            resolutions.distinct
        ),
        (7, 0, 3)
    );
    assert_eq!(resolutions.top[0].images, 5);
    assert_eq!(resolutions.file_bytes, 0);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["health"]["missing_files"], serde_json::Value::Null);
}
