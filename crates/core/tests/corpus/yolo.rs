//! Corpus tests for the YOLO codec: every YOLO-format sample of `yolo/` and `thermal/` either
//! reads (and round-trips) or is refused with a message naming what it is.
//!
//! Our layout is one split per directory (`images/`, `labels/`, `data.yaml`). Samples already in
//! it are read in place; Roboflow exports (`<split>/images` + a shared `data.yaml`) and the thermal
//! labels (no images, no names) are rebuilt into it in a temporary directory, as each test says.
//!
//! Round trips are written twice: at 17 decimals, where read → write → read must give the same
//! model to 1e-9 (relative), and at the default 6 decimals, which is what gets snapshotted.

use std::fmt::Write as _;
use std::path::Path;

use datamill_core::Files;
use datamill_core::codecs::{self, CodecError, ReadOptions, WriteOptions, YoloTask};
use datamill_core::geometry::Segmentation;
use datamill_core::report::{Action, ConversionReport, Reason};
use datamill_core::{AnnotationFormat, AnnotationType, CategoryId, DatasetMeta, ProblemCode};

use super::support::{copy_of, copy_tree, sample};

fn read(dir: &Path) -> codecs::Dataset {
    codecs::read(
        Files::local(),
        AnnotationFormat::Yolo,
        dir,
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn refusal(relative: &str) -> String {
    match codecs::read(
        Files::local(),
        AnnotationFormat::Yolo,
        &sample(relative),
        &ReadOptions::default(),
    ) {
        Ok(_) => panic!("{relative} was read as YOLO"),
        Err(error) => error
            .to_string()
            .replace(&sample("").display().to_string(), "<corpus>/"),
    }
}

/// (code, file, line) of every listed problem.
fn problems(dataset: &codecs::Dataset) -> Vec<(ProblemCode, String, Option<u64>)> {
    dataset
        .diagnostics
        .problems
        .iter()
        .map(|p| {
            (
                p.code,
                p.location.file.clone().unwrap_or_default(),
                p.location.line,
            )
        })
        .collect()
}

fn write(meta: &DatasetMeta, options: &WriteOptions) -> (tempfile::TempDir, ConversionReport) {
    let out = tempfile::tempdir().expect("temp dir");
    let mut report = ConversionReport::new(Some(AnnotationFormat::Yolo), AnnotationFormat::Yolo);
    codecs::write(
        Files::local(),
        AnnotationFormat::Yolo,
        meta,
        out.path(),
        options,
        &mut report,
    )
    .expect("writes");
    (out, report)
}

/// The writer writes annotation files only (`convert` moves images): give the output the source
/// images so that it can be read back.
fn with_images(out: &tempfile::TempDir, source: &codecs::Dataset) {
    copy_tree(&source.image_root, &out.path().join("images"));
}

/// data.yaml and every label file, for a snapshot.
fn written_files(dir: &Path) -> String {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
        .into_iter()
        .fold(String::new(), |mut out, (name, text)| {
            let _ = write!(out, "=== {name}\n{text}");
            out
        })
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let name = codecs::relative_name(&path, base);
            out.push((name, std::fs::read_to_string(&path).expect("text")));
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The same categories, images and geometry (to 1e-9), ignoring `source` (data.yaml keys).
fn assert_same_model(first: &DatasetMeta, second: &DatasetMeta) {
    assert_eq!(first.categories, second.categories);
    assert_eq!(first.images.len(), second.images.len());
    for (a, b) in first.images.iter().zip(&second.images) {
        assert_eq!(
            (&a.file_name, a.width, a.height),
            (&b.file_name, b.width, b.height)
        );
        assert_eq!(a.annotations.len(), b.annotations.len(), "{}", a.file_name);
        for (x, y) in a.annotations.iter().zip(&b.annotations) {
            assert_eq!(x.annotation_type, y.annotation_type);
            assert_eq!(x.category_id, y.category_id);
            let (bx, by) = (x.bbox.expect("box"), y.bbox.expect("box"));
            for (u, v) in [(bx.x, by.x), (bx.y, by.y), (bx.w, by.w), (bx.h, by.h)] {
                assert!(close(u, v), "{}: box {bx:?} became {by:?}", a.file_name);
            }
            match (&x.segmentation, &y.segmentation) {
                (None, None) => {}
                (Some(Segmentation::Polygons(p)), Some(Segmentation::Polygons(q))) => {
                    assert_eq!(p.len(), q.len());
                    for (p, q) in p.iter().zip(q) {
                        assert_eq!(p.len(), q.len());
                        assert!(
                            p.iter().zip(q).all(|(u, v)| close(*u, *v)),
                            "{p:?} vs {q:?}"
                        );
                    }
                }
                other => panic!("segmentation changed: {other:?}"),
            }
        }
    }
}

/// read → write (17 decimals) → read gives the same model; then the default 6-decimal output is
/// snapshotted. Returns the first read.
fn round_trip(dir: &Path, snapshot: &str) -> codecs::Dataset {
    let first = read(dir);
    let exact = WriteOptions {
        yolo_precision: 17,
        ..WriteOptions::default()
    };
    let (out, report) = write(&first.meta, &exact);
    let lossless = report
        .summary
        .iter()
        .all(|t| t.action == Action::Reindexed || t.action == Action::Lossy);
    assert!(lossless, "{snapshot}: {:?}", report.summary);
    with_images(&out, &first);
    let second = read(out.path());
    assert!(!second.diagnostics.has_errors(), "{:?}", second.diagnostics);
    assert_same_model(&first.meta, &second.meta);

    let (out, _) = write(&first.meta, &WriteOptions::default());
    insta::assert_snapshot!(snapshot, written_files(out.path()));
    first
}

/// A Roboflow export's split rebuilt as one of our dataset directories: `<split>/images` and
/// `<split>/labels` from the sample, with its shared `data.yaml` beside them.
fn roboflow_split(relative: &str, splits: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for split in splits {
        let from = sample(&format!("{relative}/{split}"));
        for kind in ["images", "labels"] {
            let target = if splits.len() == 1 {
                dir.path().join(kind)
            } else {
                dir.path().join(kind).join(split)
            };
            copy_tree(&from.join(kind), &target);
        }
    }
    std::fs::copy(
        sample(&format!("{relative}/data.yaml")),
        dir.path().join("data.yaml"),
    )
    .expect("copy data.yaml");
    dir
}

#[test]
fn ultralytics_detection_variants_read_in_place_and_round_trip() {
    // names as a map, as a list; train as a dir, an image list, a train.txt: the same dataset.
    for (variant, snapshot) in [
        ("yolov8_detection", "yolo__cvat_detection"),
        (
            "yolov8_detection_with_list_of_names",
            "yolo__cvat_detection_list_of_names",
        ),
        (
            "yolov8_detection_with_list_of_imgs",
            "yolo__cvat_detection_list_of_imgs",
        ),
        (
            "yolov8_detection_with_subset_txt",
            "yolo__cvat_detection_subset_txt",
        ),
    ] {
        let dir = sample(&format!("yolo/cvat-datumaro_ultralytics/{variant}"));
        let dataset = round_trip(&dir, snapshot);
        let meta = &dataset.meta;
        assert!(
            dataset.diagnostics.problems.is_empty(),
            "{variant}: {:?}",
            dataset.diagnostics
        );
        assert_eq!(meta.categories.len(), 10);
        assert_eq!(meta.categories[9].name, "label_9");
        assert_eq!(meta.images.len(), 1);
        let image = &meta.images[0];
        assert_eq!(
            (image.file_name.as_str(), image.width, image.height),
            ("train/1.jpg", 15, 10)
        );
        let classes: Vec<_> = image.annotations.iter().map(|a| a.category_id).collect();
        assert_eq!(classes, [Some(CategoryId(2)), Some(CategoryId(4))]);
        // `2 0.133333 0.300000 0.266667 0.200000` on a 15×10 image.
        let b = image.annotations[0].bbox.expect("box");
        assert!(
            (b.x - 0.0).abs() < 1e-5 && (b.w - 4.000_005).abs() < 1e-5,
            "{b:?}"
        );
        assert!(meta.source.extra.contains_key("train"), "{variant}");
        assert_eq!(
            dataset.annotation_files,
            ["data.yaml", "labels/train/1.txt"]
        );
    }
}

#[test]
fn ultralytics_segmentation_reads_polygons_of_3_and_5_points() {
    let dataset = round_trip(
        &sample("yolo/cvat-datumaro_ultralytics/yolov8_segmentation"),
        "yolo__cvat_segmentation",
    );
    let annotations = &dataset.meta.images[0].annotations;
    let points: Vec<usize> = annotations
        .iter()
        .map(|a| match &a.segmentation {
            Some(Segmentation::Polygons(parts)) => parts[0].len() / 2,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(points, [3, 5]);
    assert!(
        annotations
            .iter()
            .all(|a| a.annotation_type == AnnotationType::Segmentation)
    );
    // 2 0.1 0.1 0.4 0.1 0.4 0.5 on 15×10: box from the polygon.
    let b = annotations[0].bbox.expect("box");
    assert!((b.x - 1.5).abs() < 1e-12 && (b.w - 4.5).abs() < 1e-12 && (b.h - 4.0).abs() < 1e-12);
}

#[test]
fn ultralytics_obb_rows_read_as_four_point_polygons_and_clamp_on_write() {
    let dataset = read(&sample(
        "yolo/cvat-datumaro_ultralytics/yolov8_oriented_boxes",
    ));
    assert_eq!(
        problems(&dataset),
        [(
            ProblemCode::OutOfBounds,
            "labels/train/1.txt".to_owned(),
            Some(2)
        )]
    );
    assert!(dataset.meta.images[0].annotations.iter().all(|a| matches!(
        &a.segmentation,
        Some(Segmentation::Polygons(parts)) if parts[0].len() == 8
    )));
    let (out, report) = write(&dataset.meta, &WriteOptions::default());
    assert_eq!(report.count(Action::Clamped, Reason::OutOfBounds), 1);
    assert_eq!(report.options["yolo_task"], "segment");
    insta::assert_snapshot!("yolo__cvat_oriented_boxes", written_files(out.path()));
}

#[test]
fn ultralytics_pose_reads_boxes_and_says_keypoints_are_not_read() {
    let dataset = read(&sample("yolo/cvat-datumaro_ultralytics/yolov8_pose"));
    let listed = problems(&dataset);
    assert_eq!(
        listed,
        [(ProblemCode::Unsupported, "data.yaml".to_owned(), None)]
    );
    assert!(
        dataset.diagnostics.problems[0]
            .message
            .contains("kpt_shape [3, 3]")
    );
    let annotations = &dataset.meta.images[0].annotations;
    assert_eq!(annotations.len(), 1);
    assert_eq!(annotations[0].annotation_type, AnnotationType::Bbox);
    let (out, report) = write(&dataset.meta, &WriteOptions::default());
    assert_eq!(report.count(Action::Lossy, Reason::UnsupportedField), 1);
    let yaml = std::fs::read_to_string(out.path().join("data.yaml")).expect("yaml");
    assert!(!yaml.contains("kpt_shape"), "{yaml}");
    insta::assert_snapshot!("yolo__cvat_pose", written_files(out.path()));
}

#[test]
fn ultralytics_classification_folders_are_refused_as_cls_folder() {
    assert_eq!(
        refusal("yolo/cvat-datumaro_ultralytics/yolov8_classification"),
        "<corpus>/yolo/cvat-datumaro_ultralytics/yolov8_classification is an \
         image-classification layout (<split>/<class>/<image>), not a YOLO dataset. read it as \
         cls_folder."
    );
}

#[test]
fn roboflow_cones_split_rebuilt_reads_and_keeps_its_yaml_keys() {
    // Refused as exported: three splits under one data.yaml.
    assert!(
        refusal("yolo/roboflow_conesandcubes_ccby4").contains(
            "multi-split export (train/images, valid/images, test/images): read one split"
        )
    );
    for split in ["train", "valid", "test"] {
        let dir = roboflow_split("yolo/roboflow_conesandcubes_ccby4", &[split]);
        let dataset = round_trip(dir.path(), &format!("yolo__roboflow_cones_{split}"));
        assert!(
            dataset.diagnostics.problems.is_empty(),
            "{:?}",
            dataset.diagnostics
        );
        let meta = &dataset.meta;
        let names: Vec<&str> = meta.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["cone", "cube"]);
        assert_eq!(meta.images.len(), 2);
        assert_eq!(
            meta.annotation_count(),
            4,
            "no trailing newline loses no row"
        );
        assert!(
            meta.images
                .iter()
                .all(|i| (i.width, i.height) == (640, 640))
        );
        assert_eq!(meta.source.extra["roboflow"]["project"], "conesandcubes");
        assert_eq!(meta.source.extra["train"], "../train/images");
    }
}

#[test]
fn roboflow_ships_nasty_reports_every_fault_with_its_line() {
    // Both splits as sub-folders of one dataset: images/{test,validate}, labels/{test,validate}.
    let dir = roboflow_split("yolo/roboflow_ships_nasty_ccby4", &["test", "validate"]);
    let dataset = read(dir.path());
    let big = "labels/test/1134412_jpg.rf.6db8ed730d3366e3c90f9a93fd3f3e12.txt";
    let small = "labels/validate/2780166_jpg.rf.767ae81a1d05e66cf3286df946f43183.txt";
    let orphan = "labels/validate/k_jpg.rf.25e972272f7b204d6559459c09dbc25e.txt";
    let mut listed = problems(&dataset);
    listed.sort();
    let mut expected = vec![
        (ProblemCode::OrphanLabel, orphan.to_owned(), None),
        (
            ProblemCode::UnexpectedFile,
            "labels/test/#temp".to_owned(),
            None,
        ),
        (ProblemCode::UnknownCategory, big.to_owned(), Some(1)),
        (ProblemCode::UnknownCategory, big.to_owned(), Some(2)),
        (ProblemCode::UnknownCategory, small.to_owned(), Some(1)),
        (ProblemCode::OutOfBounds, big.to_owned(), Some(1)),
        (ProblemCode::OutOfBounds, small.to_owned(), Some(1)),
    ];
    expected.sort();
    assert_eq!(listed, expected);
    let meta = &dataset.meta;
    assert_eq!(
        meta.categories.len(),
        1,
        "no name is invented for classes 3 and 4"
    );
    assert_eq!(meta.images.len(), 3);
    assert_eq!(meta.annotation_count(), 2 + 6 + 1);
    let histogram = meta.class_histogram();
    assert_eq!(histogram[&CategoryId(0)], 6);
    assert_eq!(histogram[&CategoryId(3)], 2);
    assert_eq!(histogram[&CategoryId(4)], 1);

    // Writing: unknown classes dropped, boxes become rectangles among polygons, cut to the image.
    let (out, report) = write(meta, &WriteOptions::default());
    assert_eq!(report.options["yolo_task"], "segment");
    assert_eq!(report.count(Action::Dropped, Reason::UnknownCategory), 3);
    assert_eq!(report.count(Action::Converted, Reason::MaskConverted), 6);
    assert_eq!(report.output.annotations, 6);
    assert_eq!(report.class_names, ["Ships"]);
    insta::assert_snapshot!("yolo__roboflow_ships", written_files(out.path()));
    with_images(&out, &dataset);
    let again = read(out.path());
    assert!(
        again.diagnostics.problems.is_empty(),
        "{:?}",
        again.diagnostics
    );
    assert_eq!(again.meta.annotation_count(), 6);
}

#[test]
fn datumaro_roboflow_yolo_split_rebuilt_round_trips() {
    assert!(refusal("yolo/datumaro_roboflow_yolo").contains("(train/images, val/images)"));
    let dir = roboflow_split("yolo/datumaro_roboflow_yolo", &["train"]);
    let dataset = round_trip(dir.path(), "yolo__datumaro_roboflow_train");
    assert!(
        dataset.diagnostics.problems.is_empty(),
        "{:?}",
        dataset.diagnostics
    );
    assert_eq!(dataset.meta.images.len(), 2);
    assert_eq!(dataset.meta.annotation_count(), 2);
}

#[test]
fn obj_names_layout_reads_and_a_readme_in_labels_is_an_orphan() {
    let relative = "yolo/datumaro_yolo_variants/labels";
    let dataset = round_trip(&sample(relative), "yolo__datumaro_obj_names");
    assert!(
        dataset.diagnostics.problems.is_empty(),
        "{:?}",
        dataset.diagnostics
    );
    assert_eq!(dataset.meta.categories.len(), 10);
    let files: Vec<&str> = dataset
        .meta
        .images
        .iter()
        .map(|i| i.file_name.as_str())
        .collect();
    assert_eq!(files, ["train/1.jpg", "val/1.jpg"]);
    assert_eq!(dataset.meta.annotation_count(), 4);

    // The pitfall the sample is named for: a README.txt inside labels/ is not a label file.
    let copy = copy_of(relative);
    std::fs::rename(
        copy.path().join("README.txt"),
        copy.path().join("labels/README.txt"),
    )
    .expect("move");
    let dataset = read(copy.path());
    assert_eq!(
        problems(&dataset),
        [(
            ProblemCode::OrphanLabel,
            "labels/README.txt".to_owned(),
            None
        )]
    );
    assert_eq!(dataset.meta.annotation_count(), 4);
}

#[test]
fn other_layouts_are_refused_with_what_they_are() {
    insta::assert_snapshot!(
        "yolo__refusals",
        [
            "yolo/datumaro_roboflow_yolo_obb",
            "yolo/datumaro_roboflow_yolo_obb/train",
            "yolo/datumaro_yolo_variants/strict",
            "yolo/datumaro_yolo_variants/annotations",
            "yolo/darknet_pjreddie_cfg",
            "yolo/darknet_visdrone_brandons209",
            "yolo/nasty_data_yaml_windows_abs_paths_Adwait1609",
        ]
        .iter()
        .fold(String::new(), |mut out, relative| {
            let _ = write!(out, "{relative}:\n  {}\n", refusal(relative));
            out
        })
    );
    assert!(matches!(
        codecs::read(
            Files::local(),
            AnnotationFormat::Yolo,
            &sample("yolo/datumaro_roboflow_yolo_obb/train"),
            &ReadOptions::default()
        ),
        Err(CodecError::WrongKind { .. })
    ));
}

#[test]
fn windows_absolute_split_paths_are_kept_as_extra_keys() {
    let text = std::fs::read_to_string(sample(
        "yolo/nasty_data_yaml_windows_abs_paths_Adwait1609/data.yaml",
    ))
    .expect("yaml");
    let data = codecs::yolo::parse_names_yaml(&text).expect("parses");
    assert_eq!(data.names, ["biscuit", "glass"]);
    assert_eq!(
        data.extra["train"],
        "C:/Users/USER/OneDrive/Desktop/data/train/images"
    );
}

/// The thermal labels (CRLF, no names file, no images) rebuilt as a dataset: `labels/<stem>.txt`
/// and a blank 640×512 JPEG (the FLIR frame size) as `images/<stem>.jpg`.
fn thermal_dir(names: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for relative in [
        "Yolo_annotation/FLIR_08863.txt",
        "Thermal_24_bit/train/FLIR_20354.txt",
    ] {
        let from = sample(&format!(
            "thermal/flir_ir_expansion_sensationTI_yolo/{relative}"
        ));
        let stem = from
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        std::fs::create_dir_all(dir.path().join("labels")).expect("labels");
        std::fs::copy(&from, dir.path().join(format!("labels/{stem}.txt"))).expect("copy");
        let image = dir.path().join(format!("images/{stem}.jpg"));
        std::fs::create_dir_all(image.parent().expect("parent")).expect("images");
        image::GrayImage::new(640, 512).save(&image).expect("jpeg");
    }
    if let Some(names) = names {
        std::fs::write(dir.path().join("classes.txt"), names).expect("names");
    }
    dir
}

#[test]
fn thermal_crlf_labels_without_names_are_unknown_classes() {
    let dir = thermal_dir(None);
    let dataset = read(dir.path());
    let counts = &dataset.diagnostics.counts;
    assert_eq!(counts[&ProblemCode::MissingFile].error, 1);
    assert_eq!(
        counts[&ProblemCode::UnknownCategory].error,
        8,
        "one per row"
    );
    assert_eq!(counts.len(), 2, "CRLF is not a problem: {counts:?}");
    assert!(dataset.meta.categories.is_empty());
    assert_eq!(dataset.meta.annotation_count(), 8);
}

#[test]
fn thermal_with_a_names_file_round_trips() {
    // FORMATS.md §7: class 3 = dog per the README; 0 person and 2 car inferred.
    let dir = thermal_dir(Some("person\nbicycle\ncar\ndog\n"));
    let dataset = round_trip(dir.path(), "yolo__thermal_flir");
    assert!(
        dataset.diagnostics.problems.is_empty(),
        "{:?}",
        dataset.diagnostics
    );
    let image = &dataset.meta.images[0];
    assert_eq!(
        (image.file_name.as_str(), image.width, image.height),
        ("FLIR_08863.jpg", 640, 512)
    );
    let b = image.annotations[0].bbox.expect("box");
    // 3 0.476953 0.543750 0.077344 0.170833
    assert!((b.w - 0.077_344 * 640.0).abs() < 1e-9 && (b.h - 0.170_833 * 512.0).abs() < 1e-9);
}

#[test]
fn explicit_class_names_reorder_and_detect_task_writes_boxes() {
    let dataset = read(&sample(
        "yolo/cvat-datumaro_ultralytics/yolov8_segmentation",
    ));
    let options = WriteOptions {
        class_names: Some(vec!["label_4".to_owned(), "label_2".to_owned()]),
        yolo_task: Some(YoloTask::Detect),
        ..WriteOptions::default()
    };
    let (out, report) = write(&dataset.meta, &options);
    assert_eq!(report.count(Action::Lossy, Reason::MaskConverted), 2);
    let text = std::fs::read_to_string(out.path().join("labels/train/1.txt")).expect("label");
    let classes: Vec<&str> = text.lines().filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(classes, ["1", "0"]);
    assert_eq!(report.class_names, ["label_4", "label_2"]);
}
