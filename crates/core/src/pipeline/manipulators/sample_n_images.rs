//! `sample_n_images`: keeps `n` images chosen at random with a seed (all of them when there are
//! fewer). After the merge it keeps `n` per source dataset, so one large source cannot crowd out
//! the others. The images keep their order; the same seed always picks the same images.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ALL_TASKS, IMAGE_FORMATS};
use crate::model::DatasetMeta;
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, ParamProblem, Scope, Status,
    TransformContext, UnitManipulator,
};
use crate::pipeline::rng::StableRng;

#[derive(Debug, Clone, Copy, Default)]
pub struct SampleNImages;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SampleNImagesParams {
    /// Images to keep (per source dataset after the merge).
    #[schemars(range(min = 1))]
    pub n: u64,
    /// The random seed: the same seed picks the same images.
    #[serde(default)]
    pub seed: u64,
}

impl UnitManipulator for SampleNImages {
    type Params = SampleNImagesParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "sample_n_images",
        category: Category::Sample,
        scopes: &[Scope::PerSource, Scope::PostMerge],
        task_types: ALL_TASKS,
        formats: IMAGE_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Keeps n images picked at random with a seed; after the merge, n per source dataset.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn check(&self, params: &Self::Params) -> Vec<ParamProblem> {
        if params.n == 0 {
            vec![ParamProblem::new("n", "n must be at least 1")]
        } else {
            Vec::new()
        }
    }

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        let n = usize::try_from(params.n).unwrap_or(usize::MAX);
        // Group by source: one group before the merge, one per source after it.
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (index, image) in meta.images.iter().enumerate() {
            let source = image
                .origin
                .as_ref()
                .and_then(|origin| {
                    context
                        .sources
                        .iter()
                        .position(|s| s.reference == origin.dataset)
                })
                .unwrap_or(0);
            groups.entry(source).or_default().push(index);
        }
        let mut keep = vec![false; meta.images.len()];
        for (source, members) in &groups {
            if members.len() < n {
                let label = context
                    .sources
                    .get(*source)
                    .map_or("the source", |s| s.label.as_str());
                context.warn(format!(
                    "{label} has {} images, fewer than n = {n}; all are kept",
                    members.len()
                ));
            }
            // Each source gets its own stream, so adding a source does not change the others' picks.
            let mut rng =
                StableRng::new(params.seed ^ (*source as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            for picked in rng.sample_indices(members.len(), n) {
                keep[members[picked]] = true;
            }
        }
        let mut flags = keep.into_iter();
        meta.images.retain(|_| flags.next().unwrap_or(false));
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ImageOrigin;
    use crate::pipeline::testing::{labelled_images, run_meta, run_meta_with_sources, test_meta};

    #[test]
    fn seeded_sample_keeps_order_and_is_repeatable() {
        let images = labelled_images(&[&[1i64][..]; 50]);
        let meta = test_meta(&[(1, "person")], images);
        let params = serde_json::json!({"n": 10, "seed": 42});
        let (a, _, _) = run_meta(&SampleNImages, &params, meta.clone()).unwrap();
        let (b, _, _) = run_meta(&SampleNImages, &params, meta.clone()).unwrap();
        let ids = |m: &DatasetMeta| m.images.iter().map(|i| i.id.0).collect::<Vec<_>>();
        assert_eq!(ids(&a).len(), 10);
        assert_eq!(ids(&a), ids(&b));
        assert!(ids(&a).windows(2).all(|w| w[0] < w[1]));
        let (c, _, _) = run_meta(
            &SampleNImages,
            &serde_json::json!({"n": 10, "seed": 43}),
            meta,
        )
        .unwrap();
        assert_ne!(ids(&a), ids(&c));
    }

    #[test]
    fn after_the_merge_n_per_source() {
        let mut images = labelled_images(&[&[1i64][..]; 30]);
        for (index, image) in images.iter_mut().enumerate() {
            let source = if index < 20 { "a" } else { "b" };
            image.origin = Some(ImageOrigin {
                dataset: source.to_owned(),
                path: image.file_name.clone(),
            });
        }
        let meta = test_meta(&[(1, "person")], images);
        let (meta, _, report) = run_meta_with_sources(
            &SampleNImages,
            &serde_json::json!({"n": 15, "seed": 1}),
            meta,
            &["a", "b"],
        )
        .unwrap();
        let from_a = meta
            .images
            .iter()
            .filter(|i| i.origin.as_ref().is_some_and(|o| o.dataset == "a"))
            .count();
        assert_eq!((from_a, meta.images.len() - from_a), (15, 10));
        assert_eq!(
            report.warnings.len(),
            1,
            "b has only 10: {:?}",
            report.warnings
        );
    }
}
