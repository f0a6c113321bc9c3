//! The manipulators of release 1, one file each, and the catalog that lists them.
//!
//! To add a manipulator: write `my_manipulator.rs` with a unit struct implementing
//! [`UnitManipulator`](super::UnitManipulator), declare the module below and add one line to
//! [`CATALOG`]. Nothing else changes: the engine, the CLI, the schemas (`make schemas`) and the
//! service's catalog table all read this list.

pub mod change_compression;
mod classes;
pub mod filter_final_classes;
pub mod filter_invalid_class_name;
pub mod filter_keep_by_class;
pub mod filter_remove_by_class;
pub mod format_convert_to_coco;
pub mod format_convert_to_yolo;
pub mod format_convert_visdrone_to_coco;
pub mod format_convert_visdrone_to_yolo;
pub mod mask_region_by_class;
pub mod merge_datasets;
pub mod remap_class_name;
pub mod rotate_180;
pub mod sample_n_images;
pub mod shuffle_image_ids;

pub use merge_datasets::{MERGE_NAME, MergeDatasets};

use super::manipulator::Manipulator;
use crate::format::AnnotationFormat;
use crate::taxonomy::TaskType;

/// Every manipulator, in catalog order.
pub static CATALOG: &[&dyn Manipulator] = &[
    &rotate_180::Rotate180,
    &change_compression::ChangeCompression,
    &mask_region_by_class::MaskRegionByClass,
    &remap_class_name::RemapClassName,
    &filter_keep_by_class::FilterKeepByClass,
    &filter_remove_by_class::FilterRemoveByClass,
    &filter_invalid_class_name::FilterInvalidClassName,
    &sample_n_images::SampleNImages,
    &shuffle_image_ids::ShuffleImageIds,
    &merge_datasets::MergeDatasets,
    &filter_final_classes::FilterFinalClasses,
    &format_convert_to_yolo::FormatConvertToYolo,
    &format_convert_to_coco::FormatConvertToCoco,
    &format_convert_visdrone_to_coco::FormatConvertVisdroneToCoco,
    &format_convert_visdrone_to_yolo::FormatConvertVisdroneToYolo,
];

/// The manipulator with this name.
#[must_use]
pub fn find(name: &str) -> Option<&'static dyn Manipulator> {
    CATALOG.iter().copied().find(|m| m.info().name == name)
}

/// Formats whose annotations name classes (everything but images-only and opaque files).
pub(crate) const CLASS_FORMATS: &[AnnotationFormat] = &[
    AnnotationFormat::Coco,
    AnnotationFormat::Yolo,
    AnnotationFormat::AttrJson,
    AnnotationFormat::ClsFolder,
    AnnotationFormat::VisDrone,
];

/// Formats Datamill reads and whose images it can place: all but opaque `CUSTOM` files.
pub(crate) const IMAGE_FORMATS: &[AnnotationFormat] = &[
    AnnotationFormat::Coco,
    AnnotationFormat::Yolo,
    AnnotationFormat::AttrJson,
    AnnotationFormat::ClsFolder,
    AnnotationFormat::VisDrone,
    AnnotationFormat::None,
];

pub(crate) const ALL_TASKS: &[TaskType] = &[
    TaskType::Detection,
    TaskType::Segmentation,
    TaskType::Classification,
    TaskType::AttrClassification,
    TaskType::ZeroShot,
];

pub(crate) const GEOMETRY_TASKS: &[TaskType] = &[TaskType::Detection, TaskType::Segmentation];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_schemas_are_objects() {
        let mut names: Vec<&str> = CATALOG.iter().map(|m| m.info().name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CATALOG.len());
        for manipulator in CATALOG {
            let info = manipulator.info();
            assert!(
                info.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                info.name
            );
            assert!(
                !info.scopes.is_empty() && !info.formats.is_empty(),
                "{}",
                info.name
            );
            let schema = manipulator.params_schema();
            assert_eq!(schema["type"], "object", "{}", info.name);
            assert!(
                manipulator
                    .prepare(&serde_json::json!({"no_such_param": 1}))
                    .is_err()
            );
        }
    }
}
