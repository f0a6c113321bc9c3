//! `format_convert_to_coco`: YOLO (or class-folder) annotations to COCO instances JSON.
//!
//! YOLO's normalised coordinates were turned into pixels when the source was read (with each
//! image's size from its header); the COCO writer gives every annotation an id and an area and
//! keeps the class indices as category ids.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ALL_TASKS;
use crate::format::AnnotationFormat;
use crate::model::DatasetMeta;
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, Scope, Status, TransformContext,
    UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct FormatConvertToCoco;

/// No params.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

impl UnitManipulator for FormatConvertToCoco {
    type Params = NoParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "format_convert_to_coco",
        category: Category::FormatConvert,
        scopes: &[Scope::PerSource],
        task_types: ALL_TASKS,
        formats: &[AnnotationFormat::Yolo, AnnotationFormat::ClsFolder],
        output_format: Some(AnnotationFormat::Coco),
        status: Status::Active,
        version: "1.0.0",
        description: "Converts YOLO (or class-folder) annotations to COCO instances JSON with pixel boxes, ids and areas.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        _params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        let unsized_images = meta
            .images
            .iter()
            .filter(|i| (i.width == 0 || i.height == 0) && !i.annotations.is_empty())
            .count();
        if unsized_images > 0 {
            context.warn(format!(
                "{unsized_images} images have no readable size; their boxes cannot be placed in pixels"
            ));
        }
        meta.source.format = Some(AnnotationFormat::Coco);
        Ok(meta)
    }
}
