//! `filter_final_classes`: fixes the output's class list. Only the named classes' annotations
//! stay, and the categories are exactly those classes, in the order given (so YOLO indices follow
//! that order, which is also the YOLO class-index order). With `drop_empty_images`, images left without annotations are removed too.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::classes::check_class_list;
use super::{ALL_TASKS, CLASS_FORMATS};
use crate::model::DatasetMeta;
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, ParamProblem, Scope, Status,
    TransformContext, UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct FilterFinalClasses;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterFinalClassesParams {
    /// The output's classes, in order.
    #[schemars(length(min = 1))]
    pub classes: Vec<String>,
    /// Remove images that have no annotation left.
    #[serde(default)]
    pub drop_empty_images: bool,
}

impl UnitManipulator for FilterFinalClasses {
    type Params = FilterFinalClassesParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "filter_final_classes",
        category: Category::Filter,
        scopes: &[Scope::PostMerge],
        task_types: ALL_TASKS,
        formats: CLASS_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Keeps only the annotations of the given classes, which become the output's class list in that order; optionally drops images left empty.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn check(&self, params: &Self::Params) -> Vec<ParamProblem> {
        let mut problems = check_class_list("classes", &params.classes);
        for (index, class) in params.classes.iter().enumerate() {
            if params.classes[..index].contains(class) {
                problems.push(ParamProblem::new(
                    format!("classes[{index}]"),
                    format!("`{class}` is listed twice"),
                ));
            }
        }
        problems
    }

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut meta = input.into_one(Self::INFO.name)?;
        let mut kept = Vec::with_capacity(params.classes.len());
        for name in &params.classes {
            match meta.categories.iter().find(|c| &c.name == name) {
                Some(category) => kept.push(category.clone()),
                None => context.warn(format!(
                    "class `{name}` is not in the data; it is left out of the class list"
                )),
            }
        }
        let ids: std::collections::BTreeSet<_> = kept.iter().map(|c| c.id).collect();
        // Index-based formats (YOLO) number the classes in this order.
        context.write.class_names = Some(kept.iter().map(|c| c.name.clone()).collect());
        meta.categories = kept;
        for image in &mut meta.images {
            image
                .annotations
                .retain(|a| a.category_id.is_some_and(|id| ids.contains(&id)));
        }
        if params.drop_empty_images {
            meta.images.retain(|image| !image.annotations.is_empty());
        }
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::{labelled_images, run_meta, test_meta};

    #[test]
    fn only_named_classes_stay_in_the_given_order() {
        let meta = test_meta(
            &[(1, "person"), (2, "car"), (3, "dog")],
            labelled_images(&[&[1, 2], &[3], &[2]]),
        );
        let params = serde_json::json!({"classes": ["car", "person"], "drop_empty_images": true});
        let (meta, _, _) = run_meta(&FilterFinalClasses, &params, meta).unwrap();
        let names: Vec<&str> = meta.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["car", "person"]);
        let kept: Vec<i64> = meta.images.iter().map(|i| i.id.0).collect();
        assert_eq!(kept, [1, 3]);
        assert_eq!(meta.annotation_count(), 3);
    }

    #[test]
    fn empty_images_stay_unless_asked() {
        let meta = test_meta(&[(1, "person"), (3, "dog")], labelled_images(&[&[1], &[3]]));
        let (meta, _, _) = run_meta(
            &FilterFinalClasses,
            &serde_json::json!({"classes": ["person"]}),
            meta,
        )
        .unwrap();
        assert_eq!(meta.images.len(), 2);
        assert_eq!(meta.annotation_count(), 1);
    }
}
