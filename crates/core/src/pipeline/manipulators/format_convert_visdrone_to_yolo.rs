//! `format_convert_visdrone_to_yolo`: VisDrone-DET to YOLO exactly as Ultralytics'
//! `visdrone2yolo` writes it (byte for byte: `v * (1 / size)`, 6 decimals, no clipping), after
//! the same row rule as the COCO converter.

use super::GEOMETRY_TASKS;
use super::format_convert_to_coco::NoParams;
use super::format_convert_visdrone_to_coco::to_detection;
use crate::codecs::visdrone;
use crate::format::AnnotationFormat;
use crate::model::DatasetMeta;
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, Scope, Status, TransformContext,
    UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct FormatConvertVisdroneToYolo;

impl UnitManipulator for FormatConvertVisdroneToYolo {
    type Params = NoParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "format_convert_visdrone_to_yolo",
        category: Category::FormatConvert,
        scopes: &[Scope::PerSource],
        task_types: GEOMETRY_TASKS,
        formats: &[AnnotationFormat::VisDrone],
        output_format: Some(AnnotationFormat::Yolo),
        status: Status::Active,
        version: "1.0.0",
        description: "Converts VisDrone-DET annotations to YOLO byte for byte as Ultralytics' visdrone2yolo does.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        _params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let converted = to_detection(input, Self::INFO.name, AnnotationFormat::Yolo, context)?;
        let rule = visdrone::yolo_write_options();
        context.write.class_names = rule.class_names;
        context.write.yolo_task = rule.yolo_task;
        context.write.yolo_precision = rule.yolo_precision;
        context.write.yolo_reciprocal_normalisation = rule.yolo_reciprocal_normalisation;
        context.write.clamp_to_image = rule.clamp_to_image;
        Ok(converted)
    }
}
