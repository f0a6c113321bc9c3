//! `format_convert_visdrone_to_coco`: VisDrone-DET to COCO detection, by Ultralytics' rule:
//! score-0 rows (ignored regions) are dropped, the 10 classes pedestrian…motor get ids 0…9,
//! truncation and occlusion stay as attributes. Every dropped row is in the conversion report.

use super::GEOMETRY_TASKS;
use super::format_convert_to_coco::NoParams;
use crate::codecs::visdrone;
use crate::format::AnnotationFormat;
use crate::model::DatasetMeta;
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, Scope, Status, TransformContext,
    UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct FormatConvertVisdroneToCoco;

/// Ultralytics' VisDrone → detection rule on a source, its drops in the conversion report.
pub(crate) fn to_detection(
    input: AnnotationInput,
    step: &str,
    format: AnnotationFormat,
    context: &mut TransformContext<'_>,
) -> Result<DatasetMeta, ManipulatorError> {
    let meta = input.into_one(step)?;
    let mut converted = visdrone::to_detection(&meta, &mut context.report.conversion);
    converted.source.format = Some(format);
    Ok(converted)
}

impl UnitManipulator for FormatConvertVisdroneToCoco {
    type Params = NoParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "format_convert_visdrone_to_coco",
        category: Category::FormatConvert,
        scopes: &[Scope::PerSource],
        task_types: GEOMETRY_TASKS,
        formats: &[AnnotationFormat::VisDrone],
        output_format: Some(AnnotationFormat::Coco),
        status: Status::Active,
        version: "1.0.0",
        description: "Converts VisDrone-DET annotations to COCO: ignored regions dropped, 10 classes pedestrian..motor.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        _params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        to_detection(input, Self::INFO.name, AnnotationFormat::Coco, context)
    }
}
