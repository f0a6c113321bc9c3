//! `filter_invalid_class_name`: removes classes whose names are not wanted — those matching a
//! regular expression (anywhere in the name; anchor it with `^…$` for whole names) or listed in
//! a blacklist (exact names) — together with their annotations. Images stay, even when they are
//! left without annotations (they are negatives now); follow with `filter_final_classes` and
//! `drop_empty_images` to remove them.

use regex::Regex;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ALL_TASKS, CLASS_FORMATS};
use crate::model::DatasetMeta;
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, ParamProblem, Scope, Status,
    TransformContext, UnitManipulator,
};

#[derive(Debug, Clone, Copy, Default)]
pub struct FilterInvalidClassName;

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilterInvalidClassNameParams {
    /// A regular expression (Rust `regex` syntax); classes whose names match it are removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Exact class names to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blacklist: Vec<String>,
}

impl UnitManipulator for FilterInvalidClassName {
    type Params = FilterInvalidClassNameParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: "filter_invalid_class_name",
        category: Category::Filter,
        scopes: &[Scope::PerSource, Scope::PostMerge],
        task_types: ALL_TASKS,
        formats: CLASS_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Removes classes whose names match a regular expression or are blacklisted, with their annotations.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn check(&self, params: &Self::Params) -> Vec<ParamProblem> {
        let mut problems = Vec::new();
        if params.pattern.is_none() && params.blacklist.is_empty() {
            problems.push(ParamProblem::new(
                "",
                "give a `pattern`, a `blacklist`, or both",
            ));
        }
        if let Some(pattern) = &params.pattern
            && let Err(error) = Regex::new(pattern)
        {
            problems.push(ParamProblem::new(
                "pattern",
                format!("not a valid regular expression: {error}"),
            ));
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
        let pattern = params
            .pattern
            .as_deref()
            .map(Regex::new)
            .transpose()
            .map_err(|error| ManipulatorError::new(format!("pattern: {error}")))?;
        let invalid = |name: &str| {
            params.blacklist.iter().any(|b| b == name)
                || pattern.as_ref().is_some_and(|p| p.is_match(name))
        };
        let removed: std::collections::BTreeSet<_> = meta
            .categories
            .iter()
            .filter(|c| invalid(&c.name))
            .map(|c| c.id)
            .collect();
        if removed.is_empty() {
            context.warn("no class name matched; nothing was removed");
            return Ok(meta);
        }
        meta.categories.retain(|c| !removed.contains(&c.id));
        for image in &mut meta.images {
            image
                .annotations
                .retain(|a| !a.category_id.is_some_and(|id| removed.contains(&id)));
        }
        Ok(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::{labelled_images, run_meta, test_meta};

    #[test]
    fn pattern_and_blacklist_remove_classes_and_their_annotations() {
        let meta = test_meta(
            &[(1, "person"), (2, "??"), (3, "dog"), (4, "DontCare")],
            labelled_images(&[&[1, 2], &[3, 4]]),
        );
        let params = serde_json::json!({"pattern": "^[^A-Za-z]*$", "blacklist": ["DontCare"]});
        let (meta, _, _) = run_meta(&FilterInvalidClassName, &params, meta).unwrap();
        let names: Vec<&str> = meta.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["person", "dog"]);
        assert_eq!(meta.images.len(), 2);
        assert_eq!(meta.annotation_count(), 2);
    }

    #[test]
    fn a_bad_regex_is_refused_with_its_reason() {
        use crate::pipeline::manipulator::Manipulator;
        let problems = FilterInvalidClassName
            .prepare(&serde_json::json!({"pattern": "(unclosed"}))
            .err()
            .unwrap_or_default();
        assert_eq!(problems[0].path, "pattern");
    }
}
