//! `format_convert_to_yolo`: COCO (or ATTR_JSON) annotations to Ultralytics YOLO.
//!
//! Boxes become normalised `class cx cy w h` rows (polygons for segmentation datasets), class
//! indices follow the categories in id order (or the order `filter_final_classes` fixed), and
//! everything YOLO cannot hold is in the conversion report. COCO crowd regions (`iscrowd`) have
//! no YOLO equivalent: `skip` leaves them out (Ultralytics' choice), `box` writes their box as an
//! ordinary object, `polygon` writes their mask outline.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::GEOMETRY_TASKS;
use crate::codecs::CrowdPolicy;
use crate::format::AnnotationFormat;
use crate::model::{AnnotationType, DatasetMeta};
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, Scope, Status, TransformContext,
    UnitManipulator,
};
use crate::report::{Action, Reason};

#[derive(Debug, Clone, Copy, Default)]
pub struct FormatConvertToYolo;

/// What happens to COCO crowd regions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrowdParam {
    /// Leave them out.
    #[default]
    Skip,
    /// Write their box as an ordinary object.
    Box,
    /// Write their mask outline (segmentation) or box (detection).
    Polygon,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormatConvertToYoloParams {
    #[serde(default)]
    pub iscrowd: CrowdParam,
}

impl UnitManipulator for FormatConvertToYolo {
    type Params = FormatConvertToYoloParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "format_convert_to_yolo",
        category: Category::FormatConvert,
        scopes: &[Scope::PerSource],
        task_types: GEOMETRY_TASKS,
        formats: &[AnnotationFormat::Coco, AnnotationFormat::AttrJson],
        output_format: Some(AnnotationFormat::Yolo),
        status: Status::Active,
        version: "1.0.0",
        description: "Converts COCO annotations to YOLO (normalised boxes or polygons, data.yaml names); crowd regions skipped, boxed or outlined.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        context.write.crowd = match params.iscrowd {
            CrowdParam::Skip => CrowdPolicy::Skip,
            CrowdParam::Box => CrowdPolicy::Box,
            CrowdParam::Polygon => CrowdPolicy::Polygon,
        };
        context
            .report
            .conversion
            .options
            .insert("iscrowd".to_owned(), context.write.crowd.to_string());
        // Skipped and boxed crowds are settled here rather than by the writer, so that the
        // counts of a dry run are the counts of the output.
        for image in &mut meta.images {
            let conversion = &mut context.report.conversion;
            match params.iscrowd {
                CrowdParam::Skip => image.annotations.retain(|a| {
                    if a.iscrowd {
                        conversion.note(
                            Action::Dropped,
                            Reason::CrowdSkipped,
                            Some(&image.file_name),
                            a.id.map(|id| id.to_string()),
                            "crowd region (iscrowd) skipped",
                        );
                    }
                    !a.iscrowd
                }),
                CrowdParam::Box => {
                    for annotation in image.annotations.iter_mut().filter(|a| a.iscrowd) {
                        annotation.iscrowd = false;
                        annotation.bbox = annotation
                            .bbox
                            .or_else(|| annotation.segmentation.as_ref()?.bbox());
                        annotation.segmentation = None;
                        annotation.annotation_type = AnnotationType::Bbox;
                        conversion.note(
                            Action::Converted,
                            Reason::CrowdConverted,
                            Some(&image.file_name),
                            annotation.id.map(|id| id.to_string()),
                            "crowd region written as its box",
                        );
                    }
                }
                CrowdParam::Polygon => {}
            }
        }
        meta.source.format = Some(AnnotationFormat::Yolo);
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{BBox, Rle, Segmentation};
    use crate::model::{Annotation, CategoryId, ImageRecord};
    use crate::pipeline::testing::{run_meta, test_meta};

    fn with_crowd() -> DatasetMeta {
        let mut image = ImageRecord::new(1, "a.jpg", 4, 4);
        image.annotations.push(Annotation::bbox(
            CategoryId(1),
            BBox::new(0.0, 0.0, 2.0, 2.0),
        ));
        let mut crowd = Annotation::segmentation(
            CategoryId(1),
            Segmentation::Rle(Rle::from_mask(&[true; 16], 4, 4)),
        );
        crowd.iscrowd = true;
        image.annotations.push(crowd);
        test_meta(&[(1, "person")], vec![image])
    }

    #[test]
    fn crowds_are_skipped_or_boxed_with_a_report() {
        let (skipped, _, report) =
            run_meta(&FormatConvertToYolo, &serde_json::json!({}), with_crowd()).unwrap();
        assert_eq!(skipped.annotation_count(), 1);
        assert_eq!(
            report
                .conversion
                .count(Action::Dropped, Reason::CrowdSkipped),
            1
        );
        let (boxed, _, _) = run_meta(
            &FormatConvertToYolo,
            &serde_json::json!({"iscrowd": "box"}),
            with_crowd(),
        )
        .unwrap();
        let crowd = &boxed.images[0].annotations[1];
        assert!(!crowd.iscrowd && crowd.segmentation.is_none());
        assert_eq!(crowd.bbox, Some(BBox::new(0.0, 0.0, 4.0, 4.0)));
        assert!(
            run_meta(
                &FormatConvertToYolo,
                &serde_json::json!({"iscrowd": "blob"}),
                with_crowd()
            )
            .is_err()
        );
    }
}
