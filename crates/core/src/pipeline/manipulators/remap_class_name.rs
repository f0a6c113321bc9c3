//! `remap_class_name`: renames classes, by category id or by name; classes that end up with the
//! same name become one.
//!
//! `ids` maps a category id (as the source numbers it, a JSON object key) to a new name; `names`
//! maps an old name to a new one. An id rule wins over a name rule for the same category. When
//! two categories end with the same name, the first one (in category order) stays and the
//! other's annotations move to it: this is how `pedestrian` and `people` become one `person`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ALL_TASKS, CLASS_FORMATS};
use crate::model::{CategoryId, DatasetMeta};
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, ParamProblem, Scope, Status,
    TransformContext, UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct RemapClassName;

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemapClassNameParams {
    /// Category id (as a string key) → new name.
    #[serde(default)]
    pub ids: BTreeMap<String, String>,
    /// Old class name → new name.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

impl UnitManipulator for RemapClassName {
    type Params = RemapClassNameParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "remap_class_name",
        category: Category::Remap,
        scopes: &[Scope::PerSource, Scope::PostMerge],
        task_types: ALL_TASKS,
        formats: CLASS_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Renames classes by category id or by name; classes renamed to the same name are merged into one.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn check(&self, params: &Self::Params) -> Vec<ParamProblem> {
        let mut problems = Vec::new();
        if params.ids.is_empty() && params.names.is_empty() {
            problems.push(ParamProblem::new(
                "",
                "give `ids` (category id → new name) or `names` (old name → new name), or both",
            ));
        }
        for (key, name) in &params.ids {
            if key.trim().parse::<i64>().is_err() {
                problems.push(ParamProblem::new(
                    format!("ids.{key}"),
                    format!("`{key}` is not a category id (a whole number)"),
                ));
            }
            if name.trim().is_empty() {
                problems.push(ParamProblem::new(
                    format!("ids.{key}"),
                    "the new name cannot be empty",
                ));
            }
        }
        for (old, name) in &params.names {
            if name.trim().is_empty() {
                problems.push(ParamProblem::new(
                    format!("names.{old}"),
                    "the new name cannot be empty",
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
        let by_id: BTreeMap<i64, &String> = params
            .ids
            .iter()
            .filter_map(|(key, name)| Some((key.trim().parse().ok()?, name)))
            .collect();
        for id in by_id.keys() {
            if meta.category(CategoryId(*id)).is_none() {
                context.warn(format!("there is no category with id {id}"));
            }
        }
        for old in params.names.keys() {
            if !meta.categories.iter().any(|c| &c.name == old) {
                context.warn(format!("there is no class named `{old}`"));
            }
        }
        for category in &mut meta.categories {
            if let Some(name) = by_id.get(&category.id.0) {
                category.name = (*name).clone();
            } else if let Some(name) = params.names.get(&category.name) {
                category.name.clone_from(name);
            }
        }
        merge_same_names(&mut meta);
        Ok(meta)
    }
}

/// Folds categories that share a name into the first of them.
pub(crate) fn merge_same_names(meta: &mut DatasetMeta) {
    let mut first: BTreeMap<String, CategoryId> = BTreeMap::new();
    let mut moved: BTreeMap<CategoryId, CategoryId> = BTreeMap::new();
    meta.categories.retain(|category| {
        if let Some(&kept) = first.get(&category.name) {
            moved.insert(category.id, kept);
            false
        } else {
            first.insert(category.name.clone(), category.id);
            true
        }
    });
    if moved.is_empty() {
        return;
    }
    for annotation in meta.images.iter_mut().flat_map(|i| &mut i.annotations) {
        if let Some(id) = annotation.category_id
            && let Some(&kept) = moved.get(&id)
        {
            annotation.category_id = Some(kept);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::BBox;
    use crate::model::{Annotation, ImageRecord};
    use crate::pipeline::testing::{run_meta, test_meta};

    #[test]
    fn by_id_and_by_name_with_merging() {
        let mut image = ImageRecord::new(1, "a.jpg", 10, 10);
        for id in [1, 2, 3] {
            image.annotations.push(Annotation::bbox(
                CategoryId(id),
                BBox::new(0.0, 0.0, 1.0, 1.0),
            ));
        }
        let meta = test_meta(&[(1, "person"), (2, "car"), (3, "pedestrian")], vec![image]);
        let params = serde_json::json!({"ids": {"2": "vehicle"}, "names": {"pedestrian": "person", "ghost": "x"}});
        let (meta, _, report) = run_meta(&RemapClassName, &params, meta).unwrap();
        let names: Vec<&str> = meta.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["person", "vehicle"]);
        let ids: Vec<i64> = meta.images[0]
            .annotations
            .iter()
            .filter_map(|a| a.category_id.map(|c| c.0))
            .collect();
        assert_eq!(ids, [1, 2, 1]);
        assert!(
            report.warnings[0].message.contains("ghost"),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn empty_params_and_bad_ids_are_refused() {
        use crate::pipeline::manipulator::Manipulator;
        assert!(RemapClassName.prepare(&serde_json::json!({})).is_err());
        let problems = RemapClassName
            .prepare(&serde_json::json!({"ids": {"x": "a"}}))
            .err()
            .unwrap_or_default();
        assert_eq!(problems[0].path, "ids.x");
    }
}
