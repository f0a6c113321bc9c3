//! Corpus tests for CLS_FOLDER: the ImageNet-style samples, restructured into our
//! `DIR/images/<class>/<file>` layout where they have a split level, read with every quirk
//! reported; the txt-list variant is refused as another format.

use std::path::Path;

use datamill_core::Files;
use datamill_core::codecs::{self, CodecError, ReadOptions, WriteOptions, cls_folder};
use datamill_core::report::{Action, ConversionReport, Reason};
use datamill_core::{AnnotationFormat, AnnotationType, ProblemCode};

use super::support::{copy_tree, sample};

/// A dataset directory whose `images/` is a copy of the corpus folder `relative`.
fn as_dataset(relative: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&sample(relative), &dir.path().join("images"));
    dir
}

fn read(dir: &Path) -> codecs::Dataset {
    codecs::read(
        Files::local(),
        AnnotationFormat::ClsFolder,
        dir,
        &ReadOptions::default(),
    )
    .expect("reads")
}

fn problems(dataset: &codecs::Dataset) -> Vec<String> {
    dataset
        .diagnostics
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn summary(dataset: &codecs::Dataset) -> Vec<String> {
    let names = dataset.meta.category_names();
    dataset
        .meta
        .images
        .iter()
        .map(|image| {
            let labels: Vec<&str> = image
                .annotations
                .iter()
                .map(|a| {
                    assert_eq!(a.annotation_type, AnnotationType::Label);
                    a.category_id
                        .and_then(|id| names.get(&id).copied())
                        .unwrap_or("?")
                })
                .collect();
            format!(
                "{} {}x{} {}",
                image.file_name,
                image.width,
                image.height,
                labels.join(",")
            )
        })
        .collect()
}

#[test]
fn hymenoptera_splits_read_with_odd_names_and_a_gif() {
    for split in ["train", "val"] {
        let dir = as_dataset(&format!("imagenet_folders/hymenoptera_real/{split}"));
        let dataset = read(dir.path());
        let classes: Vec<(i64, &str)> = dataset
            .meta
            .categories
            .iter()
            .map(|c| (c.id.0, c.name.as_str()))
            .collect();
        assert_eq!(classes, [(0, "ants"), (1, "bees")]);
        assert!(
            dataset
                .meta
                .images
                .iter()
                .all(|i| i.width > 0 && i.height > 0)
        );
        insta::assert_debug_snapshot!(
            format!("cls_folder__hymenoptera_{split}"),
            (summary(&dataset), problems(&dataset))
        );
    }
}

#[test]
fn stray_and_nested_images_are_reported_not_assigned() {
    let dir = as_dataset("imagenet_folders/datumaro_imagenet");
    let dataset = read(dir.path());
    assert_eq!(
        summary(&dataset),
        [
            "label_0/label_0_1.jpg 8x8 label_0",
            "label_1/label_1_1.jpg 8x8 label_1"
        ]
    );
    insta::assert_debug_snapshot!("cls_folder__datumaro_imagenet", problems(&dataset));
}

#[test]
fn split_level_samples_read_per_split() {
    for split in ["train", "val", "test"] {
        let dir = as_dataset(&format!(
            "imagenet_folders/datumaro_imagenet_subsets/{split}"
        ));
        let dataset = read(dir.path());
        assert_eq!(dataset.meta.images.len(), 2, "{split}");
        assert_eq!(
            dataset
                .diagnostics
                .of(ProblemCode::UnannotatedImage)
                .count(),
            2
        );
    }
    // Without restructuring, the split folders are taken for classes (the layout is ours): each
    // split's stray image becomes an image of class `<split>`, everything deeper is reported.
    let dir = as_dataset("imagenet_folders/datumaro_imagenet_subsets");
    let dataset = read(dir.path());
    assert_eq!(
        summary(&dataset),
        [
            "test/label_0_2.jpg 10x10 test",
            "train/label_0_2.jpg 10x10 train",
            "val/label_0_2.jpg 10x10 val"
        ]
    );
    assert_eq!(
        dataset
            .diagnostics
            .of(ProblemCode::UnannotatedImage)
            .count(),
        9
    );
}

#[test]
fn the_txt_list_variant_is_another_format() {
    let error = codecs::read(
        Files::local(),
        AnnotationFormat::ClsFolder,
        &sample("imagenet_folders/datumaro_imagenet_txt"),
        &ReadOptions::default(),
    )
    .expect_err("not class folders");
    assert!(matches!(error, CodecError::WrongKind { .. }));
    let message = error
        .to_string()
        .replace(&sample("").display().to_string(), "<corpus>/");
    insta::assert_snapshot!("cls_folder__imagenet_txt_refusal", message);
}

#[test]
fn write_creates_class_folders_and_names_the_targets() {
    let dir = as_dataset("imagenet_folders/hymenoptera_real/train");
    let dataset = read(dir.path());
    let out = tempfile::tempdir().expect("temp dir");
    let mut report = ConversionReport::new(
        Some(AnnotationFormat::ClsFolder),
        AnnotationFormat::ClsFolder,
    );
    codecs::write(
        Files::local(),
        AnnotationFormat::ClsFolder,
        &dataset.meta,
        out.path(),
        &WriteOptions::default(),
        &mut report,
    )
    .expect("writes");
    assert!(report.summary.is_empty(), "{report:?}");
    assert!(out.path().join("images/ants").is_dir());
    assert!(out.path().join("images/bees").is_dir());
    assert_eq!(report.output.images, dataset.meta.images.len() as u64);
    let targets = cls_folder::target_names(&dataset.meta, &mut report);
    let names: Vec<Option<&str>> = dataset
        .meta
        .images
        .iter()
        .map(|i| Some(i.file_name.as_str()))
        .collect();
    assert_eq!(
        targets.iter().map(Option::as_deref).collect::<Vec<_>>(),
        names,
        "a CLS_FOLDER model is written where it came from"
    );

    // A detection model: boxes cannot be class folders.
    let coco = codecs::read(
        Files::local(),
        AnnotationFormat::Coco,
        &sample("coco/datumaro_coco_instances/annotations/instances_train.json"),
        &ReadOptions::default(),
    )
    .expect("COCO reads");
    let mut report =
        ConversionReport::new(Some(AnnotationFormat::Coco), AnnotationFormat::ClsFolder);
    codecs::write(
        Files::local(),
        AnnotationFormat::ClsFolder,
        &coco.meta,
        out.path(),
        &WriteOptions::default(),
        &mut report,
    )
    .expect("writes");
    assert_eq!(report.output.images, 0);
    assert!(report.count(Action::Dropped, Reason::UnsupportedField) > 0);
    assert_eq!(
        report.count(Action::Dropped, Reason::NoCategory),
        coco.meta.images.len() as u64
    );
}
