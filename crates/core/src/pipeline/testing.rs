//! Helpers for the manipulators' unit tests.
#![allow(clippy::unwrap_used, reason = "test helpers")]

use super::config::PipelineConfig;
use super::manipulator::{
    AnnotationInput, ImageContext, ImageManipulationSpec, Manipulator, SourceLabel,
    TransformContext,
};
use super::report::PipelineReport;
use crate::codecs::WriteOptions;
use crate::format::AnnotationFormat;
use crate::geometry::BBox;
use crate::model::{Annotation, Category, CategoryId, DatasetMeta, ImageRecord};

pub(crate) fn test_meta(categories: &[(i64, &str)], images: Vec<ImageRecord>) -> DatasetMeta {
    DatasetMeta {
        categories: categories
            .iter()
            .map(|(id, name)| Category::new(*id, *name))
            .collect(),
        images,
        ..DatasetMeta::default()
    }
}

/// Images `1.jpg`, `2.jpg`, … (ids 1, 2, …) of 100×100, each with one box per listed category.
pub(crate) fn labelled_images(labels: &[&[i64]]) -> Vec<ImageRecord> {
    labels
        .iter()
        .enumerate()
        .map(|(index, categories)| {
            let mut image =
                ImageRecord::new(index as i64 + 1, format!("{}.jpg", index + 1), 100, 100);
            for (k, category) in categories.iter().enumerate() {
                image.annotations.push(Annotation::bbox(
                    CategoryId(*category),
                    BBox::new(k as f64, k as f64, 10.0, 10.0),
                ));
            }
            image
        })
        .collect()
}

type Outcome = (DatasetMeta, Vec<Vec<ImageManipulationSpec>>, PipelineReport);

pub(crate) fn run_meta_with_sources(
    manipulator: &dyn Manipulator,
    params: &serde_json::Value,
    meta: DatasetMeta,
    sources: &[&str],
) -> Result<Outcome, String> {
    let step = manipulator.prepare(params).map_err(|p| format!("{p:?}"))?;
    let context = ImageContext {
        categories: &meta.categories,
    };
    let ops = meta
        .images
        .iter()
        .map(|i| step.image_ops(i, &context))
        .collect();
    let labels: Vec<SourceLabel> = sources
        .iter()
        .map(|s| SourceLabel {
            reference: (*s).to_owned(),
            label: (*s).to_owned(),
        })
        .collect();
    let mut write = WriteOptions::default();
    let mut report = PipelineReport::new(AnnotationFormat::Coco);
    let mut context = TransformContext {
        step_path: "$.test",
        sources: &labels,
        format: AnnotationFormat::Coco,
        write: &mut write,
        report: &mut report,
    };
    let out = step
        .transform(AnnotationInput::One(meta), &mut context)
        .map_err(|e| e.message)?;
    Ok((out, ops, report))
}

pub(crate) fn run_meta(
    manipulator: &dyn Manipulator,
    params: &serde_json::Value,
    meta: DatasetMeta,
) -> Result<Outcome, String> {
    run_meta_with_sources(manipulator, params, meta, &["test"])
}

pub(crate) fn try_run_one(
    manipulator: &dyn Manipulator,
    params: &serde_json::Value,
    images: Vec<ImageRecord>,
) -> Result<DatasetMeta, String> {
    let meta = test_meta(&[(1, "person"), (2, "car"), (3, "dog")], images);
    run_meta(manipulator, params, meta).map(|(meta, _, _)| meta)
}

pub(crate) fn run_one(
    manipulator: &dyn Manipulator,
    params: &serde_json::Value,
    images: Vec<ImageRecord>,
) -> (DatasetMeta, Vec<Vec<ImageManipulationSpec>>) {
    let meta = test_meta(&[(1, "person"), (2, "car"), (3, "dog")], images);
    let (meta, ops, _) = run_meta(manipulator, params, meta).unwrap();
    (meta, ops)
}

pub(crate) fn transform_many(
    manipulator: &dyn Manipulator,
    params: &serde_json::Value,
    metas: Vec<DatasetMeta>,
    sources: &[SourceLabel],
) -> Result<(DatasetMeta, PipelineReport), String> {
    let step = manipulator.prepare(params).map_err(|p| format!("{p:?}"))?;
    let mut write = WriteOptions::default();
    let mut report = PipelineReport::new(AnnotationFormat::Coco);
    let mut context = TransformContext {
        step_path: "$.post_merge[0]",
        sources,
        format: AnnotationFormat::Coco,
        write: &mut write,
        report: &mut report,
    };
    let out = step
        .transform(AnnotationInput::Many(metas), &mut context)
        .map_err(|e| e.message)?;
    Ok((out, report))
}

#[allow(dead_code, reason = "kept for tests that build configs inline")]
pub(crate) fn config(text: &str) -> PipelineConfig {
    PipelineConfig::parse(text).unwrap()
}
