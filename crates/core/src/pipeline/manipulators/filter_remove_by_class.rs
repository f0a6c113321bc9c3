//! `filter_remove_by_class`: removes every image that shows an object of any named class; the
//! other images stay with all their annotations.

use super::classes::{check_class_list, retain_images_by_class};
use super::filter_keep_by_class::ClassesParams;
use super::{ALL_TASKS, CLASS_FORMATS};
use crate::model::DatasetMeta;
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, ParamProblem, Scope, Status,
    TransformContext, UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct FilterRemoveByClass;

impl UnitManipulator for FilterRemoveByClass {
    type Params = ClassesParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "filter_remove_by_class",
        category: Category::Filter,
        scopes: &[Scope::PerSource, Scope::PostMerge],
        task_types: ALL_TASKS,
        formats: CLASS_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Removes the images that have at least one annotation of any of the given classes.",
        changes_pixels: false,
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
        retain_images_by_class(&mut meta, &params.classes, false, context);
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::{labelled_images, run_meta, test_meta};

    #[test]
    fn images_with_any_named_class_go() {
        let meta = test_meta(
            &[(1, "person"), (2, "car"), (3, "dog")],
            labelled_images(&[&[1], &[2, 3], &[3], &[]]),
        );
        let (meta, _, report) = run_meta(
            &FilterRemoveByClass,
            &serde_json::json!({"classes": ["dog", "cat"]}),
            meta,
        )
        .unwrap();
        let kept: Vec<i64> = meta.images.iter().map(|i| i.id.0).collect();
        assert_eq!(kept, [1, 4]);
        assert!(report.warnings[0].message.contains("`cat`"));
    }
}
