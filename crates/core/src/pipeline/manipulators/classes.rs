//! Classes named in params, resolved against a dataset's categories.
//!
//! Params name classes by name, not id: ids differ between sources and formats (COCO's 1-based
//! sparse ids, YOLO's 0-based indices), names are what people mean.

use std::collections::BTreeSet;

use crate::model::{CategoryId, DatasetMeta};
use crate::pipeline::manipulator::{ParamProblem, TransformContext};

/// The ids of every category whose name is in `names` (several categories may share a name).
/// A name no category has is a warning: most often a typo, sometimes a class absent from this
/// source of several.
pub(crate) fn ids_named(
    meta: &DatasetMeta,
    names: &[String],
    context: &mut TransformContext<'_>,
) -> BTreeSet<CategoryId> {
    let mut ids = BTreeSet::new();
    for name in names {
        let before = ids.len();
        ids.extend(
            meta.categories
                .iter()
                .filter(|category| &category.name == name)
                .map(|category| category.id),
        );
        if ids.len() == before {
            context.warn(format!(
                "class `{name}` is not a category here (categories: {})",
                category_list(meta)
            ));
        }
    }
    ids
}

/// The category names, for messages (the first 20).
pub(crate) fn category_list(meta: &DatasetMeta) -> String {
    let mut names: Vec<&str> = meta.categories.iter().map(|c| c.name.as_str()).collect();
    let more = names.len().saturating_sub(20);
    names.truncate(20);
    let mut text = names.join(", ");
    if more > 0 {
        text.push_str(" and ");
        text.push_str(&more.to_string());
        text.push_str(" more");
    }
    if text.is_empty() {
        text.push_str("none");
    }
    text
}

/// A class list must name at least one class, none of them empty.
pub(crate) fn check_class_list(field: &str, classes: &[String]) -> Vec<ParamProblem> {
    let mut problems = Vec::new();
    if classes.is_empty() {
        problems.push(ParamProblem::new(field, "name at least one class"));
    }
    for (index, class) in classes.iter().enumerate() {
        if class.trim().is_empty() {
            problems.push(ParamProblem::new(
                format!("{field}[{index}]"),
                "a class name cannot be empty",
            ));
        }
    }
    problems
}

/// Keeps the images that have (`wanted = true`) or do not have (`false`) an annotation of any
/// of the named classes; the others' records, with their annotations, go.
pub(crate) fn retain_images_by_class(
    meta: &mut DatasetMeta,
    classes: &[String],
    wanted: bool,
    context: &mut TransformContext<'_>,
) {
    let ids = ids_named(meta, classes, context);
    meta.images.retain(|image| {
        let has = image
            .annotations
            .iter()
            .any(|a| a.category_id.is_some_and(|id| ids.contains(&id)));
        has == wanted
    });
}
