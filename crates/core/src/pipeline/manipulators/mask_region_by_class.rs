//! `mask_region_by_class` (EXPERIMENTAL): paints over the objects of given classes.
//!
//! Each annotation of a named class has its region filled with `fill`: its box (pixels the box
//! touches: `floor(x)..ceil(x+w)`), or with `shape: segmentation` its mask (polygons rasterised
//! as pycocotools does; an annotation without a mask falls back to its box). With
//! `drop_annotations` the painted annotations are removed, so a detector is not trained on
//! objects it can no longer see.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::GEOMETRY_TASKS;
use super::classes::{check_class_list, ids_named};
use crate::format::AnnotationFormat;
use crate::geometry::{BBox, Segmentation, rle};
use crate::model::{Annotation, CategoryId, DatasetMeta, ImageRecord};
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ImageContext, ImageManipulationSpec, ManipulatorError,
    ManipulatorInfo, ParamProblem, Region, Scope, Status, TransformContext, UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct MaskRegionByClass;

/// Which outline of an object is painted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaskShape {
    /// The object's box.
    #[default]
    Bbox,
    /// The object's mask (its box when it has none).
    Segmentation,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MaskRegionByClassParams {
    /// Class names whose objects are painted over.
    #[schemars(length(min = 1))]
    pub classes: Vec<String>,
    /// The paint colour, `[r, g, b]`.
    #[serde(default)]
    pub fill: [u8; 3],
    #[serde(default)]
    pub shape: MaskShape,
    /// Remove the painted objects' annotations too.
    #[serde(default)]
    pub drop_annotations: bool,
}

impl UnitManipulator for MaskRegionByClass {
    type Params = MaskRegionByClassParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "mask_region_by_class",
        category: Category::Augment,
        scopes: &[Scope::PerSource],
        task_types: GEOMETRY_TASKS,
        formats: &[
            AnnotationFormat::Coco,
            AnnotationFormat::Yolo,
            AnnotationFormat::AttrJson,
            AnnotationFormat::VisDrone,
        ],
        output_format: None,
        status: Status::Experimental,
        version: "1.0.0",
        description: "Paints the boxes or masks of the given classes with a colour, optionally removing their annotations.",
        changes_pixels: true,
        needs_8bit_images: false,
    };

    fn check(&self, params: &Self::Params) -> Vec<ParamProblem> {
        check_class_list("classes", &params.classes)
    }

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        let ids = ids_named(&meta, &params.classes, context);
        if params.drop_annotations {
            for image in &mut meta.images {
                image
                    .annotations
                    .retain(|a| !a.category_id.is_some_and(|id| ids.contains(&id)));
            }
        }
        Ok(meta)
    }

    fn build_image_manipulation(
        &self,
        image: &ImageRecord,
        params: &Self::Params,
        context: &ImageContext<'_>,
    ) -> Vec<ImageManipulationSpec> {
        let ids: BTreeSet<CategoryId> = context
            .categories
            .iter()
            .filter(|c| params.classes.contains(&c.name))
            .map(|c| c.id)
            .collect();
        let regions: Vec<Region> = image
            .annotations
            .iter()
            .filter(|a| a.category_id.is_some_and(|id| ids.contains(&id)))
            .filter_map(|a| region_of(a, params.shape, image.width, image.height))
            .collect();
        if regions.is_empty() {
            return Vec::new();
        }
        vec![ImageManipulationSpec::Fill {
            regions,
            color: params.fill,
        }]
    }
}

fn region_of(annotation: &Annotation, shape: MaskShape, width: u32, height: u32) -> Option<Region> {
    if width == 0 || height == 0 {
        return None;
    }
    if shape == MaskShape::Segmentation
        && let Some(segmentation) = &annotation.segmentation
        && !segmentation.is_empty()
    {
        let mask = match segmentation {
            Segmentation::Polygons(parts) => rle::from_polygons(parts, height, width),
            Segmentation::Rle(mask) => mask.clone(),
        };
        if mask.height == height
            && mask.width == width
            && let Ok(counts) = mask.runs()
        {
            return Some(Region::Mask { counts });
        }
    }
    let bbox = annotation
        .bbox
        .or_else(|| annotation.segmentation.as_ref()?.bbox())?;
    rect_of(bbox, width, height)
}

/// The pixels a box touches, cut to the image; `None` when nothing is left.
fn rect_of(bbox: BBox, width: u32, height: u32) -> Option<Region> {
    let clamp = |v: f64, max: u32| v.clamp(0.0, f64::from(max)) as u32;
    let x0 = clamp(bbox.x.floor(), width);
    let y0 = clamp(bbox.y.floor(), height);
    let x1 = clamp((bbox.x + bbox.w).ceil(), width);
    let y1 = clamp((bbox.y + bbox.h).ceil(), height);
    (x1 > x0 && y1 > y0).then_some(Region::Rect { x0, y0, x1, y1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::run_one;

    fn image() -> ImageRecord {
        let mut image = ImageRecord::new(1, "a.jpg", 20, 10);
        image.annotations.push(Annotation::bbox(
            CategoryId(1),
            BBox::new(1.5, 2.0, 3.0, 4.2),
        ));
        image.annotations.push(Annotation::bbox(
            CategoryId(2),
            BBox::new(0.0, 0.0, 5.0, 5.0),
        ));
        image.annotations.push(Annotation::segmentation(
            CategoryId(1),
            Segmentation::Polygons(vec![vec![10.0, 0.0, 14.0, 0.0, 14.0, 4.0, 10.0, 4.0]]),
        ));
        image
    }

    #[test]
    fn boxes_of_the_named_class_are_filled_and_optionally_dropped() {
        let params = serde_json::json!({"classes": ["person"], "fill": [255, 0, 0], "drop_annotations": true});
        let (meta, ops) = run_one(&MaskRegionByClass, &params, vec![image()]);
        assert_eq!(meta.images[0].annotations.len(), 1, "only the car is left");
        let ImageManipulationSpec::Fill { regions, color } = &ops[0][0] else {
            panic!("expected a fill, got {:?}", ops[0]);
        };
        assert_eq!(*color, [255, 0, 0]);
        assert_eq!(
            regions[0],
            Region::Rect {
                x0: 1,
                y0: 2,
                x1: 5,
                y1: 7
            }
        );
        assert_eq!(
            regions[1],
            Region::Rect {
                x0: 10,
                y0: 0,
                x1: 14,
                y1: 4
            }
        );
    }

    #[test]
    fn segmentation_shape_paints_the_mask() {
        let params = serde_json::json!({"classes": ["person"], "shape": "segmentation"});
        let (meta, ops) = run_one(&MaskRegionByClass, &params, vec![image()]);
        assert_eq!(
            meta.images[0].annotations.len(),
            3,
            "annotations kept by default"
        );
        let ImageManipulationSpec::Fill { regions, color } = &ops[0][0] else {
            panic!("expected a fill");
        };
        assert_eq!(*color, [0, 0, 0]);
        let Region::Mask { counts } = &regions[1] else {
            panic!("expected a mask, got {:?}", regions[1]);
        };
        assert_eq!(
            rle::area(counts),
            16,
            "the 4×4 square, as pycocotools rasterises it"
        );
    }
}
