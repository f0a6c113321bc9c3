//! `merge_datasets`: makes one dataset of several.
//!
//! * **Categories** are unified by name, after the optional `synonyms` map (`people` →
//!   `person`): each distinct name gets a new id, 1, 2, … in order of first appearance (sources
//!   in config order, categories in source order).
//! * **Images** are numbered 1…n in source order; annotation ids (where the source had them)
//!   1…m likewise.
//! * **File names** that more than one source uses are made unique deterministically: the first
//!   source keeps the name, each later one gets its source label as a prefix of the file's base
//!   name (`train2017/a.jpg` → `train2017/yolo_b_a.jpg`), with a counter only if that is taken
//!   too. Names used by one source only are never touched. Every rename is in the report.
//!
//! With a single source only the synonyms apply. When a pipeline has several sources and its
//! post-merge chain does not start with this step, the engine runs it first with no synonyms.

use std::collections::{BTreeMap, HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::remap_class_name::merge_same_names;
use super::{ALL_TASKS, IMAGE_FORMATS};
use crate::model::{AnnotationId, CategoryId, DatasetMeta, ImageId};
use crate::pipeline::manipulator::{
    AnnotationInput, Category, ManipulatorError, ManipulatorInfo, ParamProblem, Scope, Status,
    TransformContext, UnitManipulator,
};
use crate::pipeline::report::FileRename;

/// The merge's name, which the engine looks for at the head of the post-merge chain.
pub const MERGE_NAME: &str = "merge_datasets";

#[derive(Debug, Clone, Copy, Default)]
pub struct MergeDatasets;

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeDatasetsParams {
    /// Class name → the name it is merged under (`{"people": "person", "pedestrian": "person"}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub synonyms: BTreeMap<String, String>,
}

impl UnitManipulator for MergeDatasets {
    type Params = MergeDatasetsParams;

    const INFO: ManipulatorInfo = ManipulatorInfo {
        name: MERGE_NAME,
        category: Category::Merge,
        scopes: &[Scope::PostMerge],
        task_types: ALL_TASKS,
        formats: IMAGE_FORMATS,
        output_format: None,
        status: Status::Active,
        version: "1.0.0",
        description: "Merges the sources: classes unified by name (with optional synonyms), ids renumbered, colliding file names prefixed with their source.",
        changes_pixels: false,
        needs_8bit_images: false,
    };

    fn check(&self, params: &Self::Params) -> Vec<ParamProblem> {
        params
            .synonyms
            .iter()
            .filter(|(_, canonical)| canonical.trim().is_empty())
            .map(|(name, _)| {
                ParamProblem::new(
                    format!("synonyms.{name}"),
                    "the canonical name cannot be empty",
                )
            })
            .collect()
    }

    fn transform_annotation(
        &self,
        input: AnnotationInput,
        params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        let mut metas = input.into_many();
        if metas.len() == 1 {
            let mut meta = metas.remove(0);
            for category in &mut meta.categories {
                if let Some(canonical) = params.synonyms.get(&category.name) {
                    category.name.clone_from(canonical);
                }
            }
            merge_same_names(&mut meta);
            return Ok(meta);
        }
        Ok(merge(metas, params, context))
    }
}

fn merge(
    metas: Vec<DatasetMeta>,
    params: &MergeDatasetsParams,
    context: &mut TransformContext<'_>,
) -> DatasetMeta {
    let canonical = |name: &str| {
        params
            .synonyms
            .get(name)
            .map_or(name, String::as_str)
            .to_owned()
    };

    // Categories by canonical name, numbered by first appearance.
    let mut merged = DatasetMeta::default();
    let mut id_of_name: HashMap<String, CategoryId> = HashMap::new();
    let mut id_maps: Vec<HashMap<CategoryId, CategoryId>> = Vec::with_capacity(metas.len());
    for meta in &metas {
        let mut map = HashMap::new();
        for category in &meta.categories {
            let name = canonical(&category.name);
            let id = *id_of_name.entry(name.clone()).or_insert_with(|| {
                let id = CategoryId(merged.categories.len() as i64 + 1);
                let mut unified = category.clone();
                unified.id = id;
                unified.name = name;
                merged.categories.push(unified);
                id
            });
            map.insert(category.id, id);
        }
        id_maps.push(map);
    }

    // File names used by more than one source.
    let mut users: HashMap<&str, usize> = HashMap::new();
    for meta in &metas {
        let names: HashSet<&str> = meta.images.iter().map(|i| i.file_name.as_str()).collect();
        for name in names {
            *users.entry(name).or_default() += 1;
        }
    }
    let colliding: HashSet<String> = users
        .into_iter()
        .filter(|(_, count)| *count > 1)
        .map(|(name, _)| name.to_owned())
        .collect();
    let mut taken: HashSet<String> = metas
        .iter()
        .flat_map(|m| m.images.iter().map(|i| i.file_name.clone()))
        .collect();
    let mut first_owner: HashMap<String, usize> = HashMap::new();

    merged.source = metas[0].source.clone();
    let mut next_image = 1i64;
    let mut next_annotation = 1i64;
    for (source, meta) in metas.into_iter().enumerate() {
        for definition in meta.attribute_schema {
            if !merged
                .attribute_schema
                .iter()
                .any(|d| d.name == definition.name)
            {
                merged.attribute_schema.push(definition);
            }
        }
        let label = context
            .sources
            .get(source)
            .map_or_else(|| format!("source{source}"), |s| s.label.clone());
        for mut image in meta.images {
            image.id = ImageId(next_image);
            next_image += 1;
            if colliding.contains(&image.file_name) {
                let owner = *first_owner.entry(image.file_name.clone()).or_insert(source);
                if owner != source {
                    let renamed = prefixed(&image.file_name, &label, &taken);
                    taken.insert(renamed.clone());
                    context.report.renames.push(FileRename {
                        step: context.step_path.to_owned(),
                        source: label.clone(),
                        from: image.file_name.clone(),
                        to: renamed.clone(),
                        reason: "another source has an image with this name".to_owned(),
                    });
                    image.file_name = renamed;
                }
            }
            for annotation in &mut image.annotations {
                if let Some(id) = annotation.category_id {
                    annotation.category_id = id_maps[source].get(&id).copied().or(Some(id));
                }
                if annotation.id.is_some() {
                    annotation.id = Some(AnnotationId(next_annotation));
                    next_annotation += 1;
                }
            }
            merged.images.push(image);
        }
    }
    merged
}

/// `dir/a.jpg` → `dir/{label}_a.jpg`, with `_2`, `_3`… before the extension if that is taken.
fn prefixed(name: &str, label: &str, taken: &HashSet<String>) -> String {
    let (dir, base) = name.rsplit_once('/').map_or(("", name), |(d, b)| (d, b));
    let join = |base: &str| {
        if dir.is_empty() {
            base.to_owned()
        } else {
            format!("{dir}/{base}")
        }
    };
    let first = join(&format!("{label}_{base}"));
    if !taken.contains(&first) {
        return first;
    }
    let (stem, extension) = base.rsplit_once('.').map_or((base, ""), |(s, e)| (s, e));
    let mut counter = 2u32;
    loop {
        let candidate = if extension.is_empty() {
            join(&format!("{label}_{stem}_{counter}"))
        } else {
            join(&format!("{label}_{stem}_{counter}.{extension}"))
        };
        if !taken.contains(&candidate) {
            return candidate;
        }
        counter += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ImageOrigin;
    use crate::pipeline::manipulator::{Manipulator, SourceLabel};
    use crate::pipeline::testing::{labelled_images, test_meta, transform_many};

    fn source(
        reference: &str,
        categories: &[(i64, &str)],
        files: &[&str],
        labels: &[&[i64]],
    ) -> DatasetMeta {
        let mut images = labelled_images(labels);
        for (image, file) in images.iter_mut().zip(files) {
            image.file_name = (*file).to_owned();
            image.origin = Some(ImageOrigin {
                dataset: reference.to_owned(),
                path: (*file).to_owned(),
            });
        }
        test_meta(categories, images)
    }

    #[test]
    fn categories_unify_ids_renumber_and_collisions_get_prefixes() {
        let a = source(
            "a",
            &[(1, "person"), (3, "car")],
            &["x.jpg", "y.jpg"],
            &[&[1], &[3]],
        );
        let b = source(
            "b",
            &[(0, "people"), (1, "dog")],
            &["x.jpg", "z.jpg", "b_x.jpg"],
            &[&[0, 1], &[1], &[]],
        );
        let sources = [
            SourceLabel {
                reference: "a".into(),
                label: "a".into(),
            },
            SourceLabel {
                reference: "b".into(),
                label: "b".into(),
            },
        ];
        let params = serde_json::json!({"synonyms": {"people": "person"}});
        let (meta, report) = transform_many(&MergeDatasets, &params, vec![a, b], &sources).unwrap();
        let names: Vec<(i64, &str)> = meta
            .categories
            .iter()
            .map(|c| (c.id.0, c.name.as_str()))
            .collect();
        assert_eq!(names, [(1, "person"), (2, "car"), (3, "dog")]);
        let files: Vec<&str> = meta.images.iter().map(|i| i.file_name.as_str()).collect();
        // b's x.jpg collides; b_x.jpg is taken already, so the counter is used.
        assert_eq!(files, ["x.jpg", "y.jpg", "b_x_2.jpg", "z.jpg", "b_x.jpg"]);
        let ids: Vec<i64> = meta.images.iter().map(|i| i.id.0).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5]);
        let classes: Vec<i64> = meta.images[2]
            .annotations
            .iter()
            .filter_map(|a| a.category_id.map(|c| c.0))
            .collect();
        assert_eq!(classes, [1, 3], "people became person, dog got id 3");
        assert_eq!(report.renames.len(), 1);
        assert_eq!(
            (
                report.renames[0].from.as_str(),
                report.renames[0].to.as_str()
            ),
            ("x.jpg", "b_x_2.jpg")
        );
        assert!(MergeDatasets.info().scopes.contains(&Scope::PostMerge));
    }
}
