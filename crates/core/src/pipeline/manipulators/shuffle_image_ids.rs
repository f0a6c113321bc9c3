//! `shuffle_image_ids`: puts the images in a random order (seeded) and numbers them 1…n in that
//! order, so that ids carry no trace of the source or of the merge order. Annotations stay with
//! their images.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ALL_TASKS, IMAGE_FORMATS};
use crate::model::{DatasetMeta, ImageId};
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, Scope, Status, TransformContext,
    UnitManipulator,
};
use crate::pipeline::rng::StableRng;

#[derive(Debug, Clone, Copy, Default)]
pub struct ShuffleImageIds;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShuffleImageIdsParams {
    /// The random seed: the same seed gives the same order.
    #[serde(default)]
    pub seed: u64,
}

impl UnitManipulator for ShuffleImageIds {
    type Params = ShuffleImageIdsParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "shuffle_image_ids",
        category: Category::Sample,
        scopes: &[Scope::PostMerge],
        task_types: ALL_TASKS,
        formats: IMAGE_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Shuffles the images with a seed and renumbers their ids 1..n in the new order.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        params: &Self::Params,
        _context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        StableRng::new(params.seed).shuffle(&mut meta.images);
        for (index, image) in meta.images.iter_mut().enumerate() {
            image.id = ImageId(index as i64 + 1);
        }
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::{labelled_images, run_meta, test_meta};

    #[test]
    fn shuffled_ids_are_one_to_n_and_annotations_follow_their_image() {
        let meta = test_meta(
            &[(1, "person"), (2, "car")],
            labelled_images(&[&[1], &[2], &[1, 2], &[], &[2]]),
        );
        let (shuffled, _, _) = run_meta(
            &ShuffleImageIds,
            &serde_json::json!({"seed": 7}),
            meta.clone(),
        )
        .unwrap();
        let ids: Vec<i64> = shuffled.images.iter().map(|i| i.id.0).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5]);
        let names: Vec<&str> = shuffled
            .images
            .iter()
            .map(|i| i.file_name.as_str())
            .collect();
        assert_ne!(names, ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg"]);
        for image in &shuffled.images {
            let original = meta
                .images
                .iter()
                .find(|i| i.file_name == image.file_name)
                .unwrap();
            assert_eq!(original.annotations, image.annotations);
        }
    }
}
