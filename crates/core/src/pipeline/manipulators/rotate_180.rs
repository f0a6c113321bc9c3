//! `rotate_180`: turns every image by 180°, pixels and geometry alike.
//!
//! Boxes, polygons, RLE masks and COCO keypoints are turned with the image size the annotations
//! state (the displayed size, after EXIF orientation), so that they keep covering the same
//! pixels; turning twice gives back the input exactly. JPEGs whose size is a multiple of the
//! MCU are turned losslessly in the DCT domain; others are decoded, turned and re-encoded.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ALL_TASKS, IMAGE_FORMATS};
use crate::geometry::transform;
use crate::model::{DatasetMeta, ImageRecord};
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ImageContext, ImageManipulationSpec, ManipulatorError,
    ManipulatorInfo, Scope, Status, TransformContext, UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct Rotate180;

/// No params: the turn is always 180°.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rotate180Params {}

impl UnitManipulator for Rotate180 {
    type Params = Rotate180Params;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "rotate_180",
        category: Category::Augment,
        scopes: &[Scope::PerSource],
        task_types: ALL_TASKS,
        formats: IMAGE_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Turns every image by 180 degrees and its boxes, polygons, masks and keypoints with it.",
        changes_pixels: true,
        needs_8bit_images: false,
    };

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        _params: &Self::Params,
        _context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        for image in &mut meta.images {
            rotate_image_annotations(image)?;
        }
        Ok(meta)
    }

    fn build_image_manipulation(
        &self,
        _image: &ImageRecord,
        _params: &Self::Params,
        _context: &ImageContext<'_>,
    ) -> Vec<ImageManipulationSpec> {
        vec![ImageManipulationSpec::Rotate180]
    }
}

fn rotate_image_annotations(image: &mut ImageRecord) -> Result<(), ManipulatorError> {
    let (width, height) = (image.width, image.height);
    let has_geometry = image
        .annotations
        .iter()
        .any(|a| a.bbox.is_some() || a.segmentation.is_some());
    if has_geometry && (width == 0 || height == 0) {
        return Err(ManipulatorError::new(format!(
            "image `{}` has no known size, so its annotations cannot be turned with it (is the file missing or unreadable?)",
            image.file_name
        )));
    }
    for annotation in &mut image.annotations {
        if let Some(bbox) = annotation.bbox {
            annotation.bbox = Some(transform::rotate_bbox_180(bbox, width, height));
        }
        if let Some(segmentation) = &annotation.segmentation {
            let turned = transform::rotate_segmentation_180(segmentation, width, height).map_err(
                |error| {
                    ManipulatorError::new(format!(
                        "image `{}`, annotation {}: {error}",
                        image.file_name,
                        annotation
                            .id
                            .map_or_else(|| "without id".to_owned(), |id| id.to_string())
                    ))
                },
            )?;
            annotation.segmentation = Some(turned);
        }
        if let Some(serde_json::Value::Array(values)) = annotation.extra.get("keypoints") {
            let numbers: Option<Vec<f64>> = values.iter().map(serde_json::Value::as_f64).collect();
            if let Some(numbers) = numbers {
                let turned = transform::rotate_keypoints_180(&numbers, width, height);
                let as_json = turned
                    .into_iter()
                    .zip(values.iter())
                    .map(|(value, original)| {
                        // Keep integers integers, as COCO writes them.
                        if original.is_i64() || original.is_u64() {
                            serde_json::Value::from(value.round() as i64)
                        } else {
                            serde_json::Value::from(value)
                        }
                    })
                    .collect();
                annotation
                    .extra
                    .insert("keypoints".to_owned(), serde_json::Value::Array(as_json));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{BBox, Segmentation};
    use crate::model::{Annotation, CategoryId};
    use crate::pipeline::testing::run_one;

    #[test]
    fn geometry_turns_and_pixels_are_asked_to_turn() {
        let mut image = ImageRecord::new(1, "a.jpg", 100, 50);
        image.annotations.push(Annotation::bbox(
            CategoryId(1),
            BBox::new(0.0, 0.0, 10.0, 5.0),
        ));
        image.annotations.push(Annotation::segmentation(
            CategoryId(1),
            Segmentation::Polygons(vec![vec![0.0, 0.0, 10.0, 0.0, 10.0, 10.0]]),
        ));
        let (meta, ops) = run_one(&Rotate180, &serde_json::json!({}), vec![image]);
        let annotations = &meta.images[0].annotations;
        assert_eq!(annotations[0].bbox, Some(BBox::new(90.0, 45.0, 10.0, 5.0)));
        assert_eq!(
            annotations[1].segmentation,
            Some(Segmentation::Polygons(vec![vec![
                100.0, 50.0, 90.0, 50.0, 90.0, 40.0
            ]]))
        );
        assert_eq!(ops[0], vec![ImageManipulationSpec::Rotate180]);
    }

    #[test]
    fn an_image_of_unknown_size_with_boxes_is_refused_by_name() {
        let mut image = ImageRecord::new(1, "lost.jpg", 0, 0);
        image.annotations.push(Annotation::bbox(
            CategoryId(1),
            BBox::new(0.0, 0.0, 1.0, 1.0),
        ));
        let error =
            crate::pipeline::testing::try_run_one(&Rotate180, &serde_json::json!({}), vec![image])
                .err()
                .unwrap_or_default();
        assert!(error.contains("lost.jpg"), "{error}");
    }
}
