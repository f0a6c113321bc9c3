//! The pipeline config: what to build (output), from what (sources, each with its own chain of
//! manipulators) and what to do after the merge. Read from YAML or JSON; its JSON Schema is
//! `proto-schemas/pipeline_config.schema.json`.
//!
//! ```yaml
//! output:   {group: coco_aug, dataset_type: PROCESSED, split: TRAIN, version: v1.0.0,
//!            annotation_format: YOLO, task_types: [DETECTION], modality: RGB}
//! sources:
//!   - path: raw/coco/train/v1.0.0        # local mode; the service takes `dataset_id`
//!     annotation_format: COCO
//!     manipulators:
//!       - {name: filter_keep_by_class, params: {classes: [person, dog]}}
//!       - {name: format_convert_to_yolo, params: {iscrowd: skip}}
//! post_merge:
//!   - {name: shuffle_image_ids, params: {seed: 7}}
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::format::AnnotationFormat;
use crate::taxonomy::{DatasetType, Modality, Split, TaskType};
use crate::version::Version;

/// A whole pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    pub output: OutputSpec,
    /// One or more dataset versions to build from, in order (the order of the merge).
    #[schemars(length(min = 1))]
    pub sources: Vec<SourceSpec>,
    /// Steps on the merged annotations. `merge_datasets`, when listed, comes first; with several
    /// sources and no explicit merge, a merge with default params runs first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub post_merge: Vec<StepSpec>,
}

/// The dataset version a pipeline creates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// The dataset group (its NAS folder name): letters, digits, `_`, `-`, `.`.
    #[schemars(
        length(min = 1, max = 128),
        regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    )]
    pub group: String,
    /// PROCESSED (built from one source) or FUSION (from several).
    pub dataset_type: DatasetType,
    pub split: Split,
    /// Left out: the next patch version of (group, split), or v1.0.0 for a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Version>,
    pub annotation_format: AnnotationFormat,
    #[schemars(length(min = 1))]
    pub task_types: Vec<TaskType>,
    #[serde(default = "default_modality")]
    pub modality: Modality,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

const fn default_modality() -> Modality {
    Modality::Rgb
}

/// One source dataset version and its own chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// Local mode: the dataset directory relative to the NAS base (`raw/coco/train/v1.0.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Service mode: the registered dataset version's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_id: Option<String>,
    /// The source's format (local mode; the service knows it from the registry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation_format: Option<AnnotationFormat>,
    /// The source's task types (local mode; default: the output's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_types: Option<Vec<TaskType>>,
    /// The source's modality (local mode; default: the output's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modality: Option<Modality>,
    /// Steps on this source alone, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manipulators: Vec<StepSpec>,
}

/// One manipulator with its params.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// The manipulator's name (`datamill manipulators list`).
    pub name: String,
    /// Checked against the manipulator's params schema; left out means all defaults.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub params: serde_json::Value,
}

/// A problem with a config, located by JSON path (`$.sources[0].manipulators[1].params.quality`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConfigProblem {
    pub path: String,
    pub message: String,
}

impl ConfigProblem {
    #[must_use]
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl PipelineConfig {
    /// Reads a config from YAML or JSON text (JSON is YAML too, but its errors read better from a
    /// JSON parser, so text that starts with `{` is parsed as JSON).
    pub fn parse(text: &str) -> Result<Self, Vec<ConfigProblem>> {
        let value = if text.trim_start().starts_with('{') {
            serde_json::from_str::<serde_json::Value>(text).map_err(|error| {
                vec![ConfigProblem::new(
                    format!("line {}, column {}", error.line(), error.column()),
                    format!("not valid JSON: {error}"),
                )]
            })?
        } else {
            let documents = yaml_rust2::YamlLoader::load_from_str(text).map_err(|error| {
                let marker = error.marker();
                vec![ConfigProblem::new(
                    format!("line {}, column {}", marker.line(), marker.col() + 1),
                    format!("not valid YAML: {}", error.info()),
                )]
            })?;
            match documents.as_slice() {
                [document] => crate::codecs::yolo::yaml_to_json(document),
                [] => return Err(vec![ConfigProblem::new("$", "the config is empty")]),
                _ => {
                    return Err(vec![ConfigProblem::new(
                        "$",
                        "the config holds several YAML documents; give one",
                    )]);
                }
            }
        };
        Self::from_value(value)
    }

    /// Reads a config from JSON (the API's request body).
    pub fn from_value(value: serde_json::Value) -> Result<Self, Vec<ConfigProblem>> {
        serde_path_to_error::deserialize(value).map_err(|error| {
            let path = json_path(&error.path().to_string());
            vec![ConfigProblem::new(path, error.into_inner().to_string())]
        })
    }

    /// The JSON Schema of the config.
    #[must_use]
    pub fn json_schema() -> serde_json::Value {
        let settings = schemars::generate::SchemaSettings::draft2020_12();
        let mut schema = settings.into_generator().into_root_schema_for::<Self>();
        schema.insert(
            "$id".to_owned(),
            "https://datamill.dev/schemas/pipeline_config.schema.json".into(),
        );
        schema.insert("title".to_owned(), "Datamill pipeline config".into());
        schema.to_value()
    }
}

/// `sources[0].manipulators` → `$.sources[0].manipulators`; serde_path_to_error's root is `.`.
#[must_use]
pub fn json_path(relative: &str) -> String {
    match relative {
        "" | "." => "$".to_owned(),
        path if path.starts_with('[') => format!("${path}"),
        path => format!("$.{path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "
output:   {group: coco_aug, dataset_type: PROCESSED, split: TRAIN, version: v1.0.0,
           annotation_format: YOLO, task_types: [DETECTION], modality: RGB}
sources:
  - path: raw/coco/train/v1.0.0
    annotation_format: COCO
    manipulators:
      - {name: filter_keep_by_class, params: {classes: [person, dog]}}
post_merge:
  - {name: shuffle_image_ids, params: {seed: 7}}
";

    #[test]
    fn the_documented_example_parses_from_yaml_and_json_alike() {
        let config = PipelineConfig::parse(EXAMPLE).unwrap();
        assert_eq!(config.output.split, Split::Train);
        assert_eq!(
            config.output.version.map(|v| v.to_string()).as_deref(),
            Some("v1.0.0")
        );
        assert_eq!(
            config.sources[0].manipulators[0].params["classes"][1],
            "dog"
        );
        assert_eq!(config.post_merge[0].params["seed"], 7);
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(PipelineConfig::parse(&json).unwrap(), config);
    }

    #[test]
    fn problems_name_their_json_path() {
        let broken = EXAMPLE.replace("split: TRAIN", "split: TRAINING");
        let problems = PipelineConfig::parse(&broken).err().unwrap_or_default();
        assert_eq!(problems[0].path, "$.output.split", "{problems:?}");
        let typo = EXAMPLE.replace("manipulators:", "manipulator:");
        let problems = PipelineConfig::parse(&typo).err().unwrap_or_default();
        assert!(problems[0].path.starts_with("$.sources[0]"), "{problems:?}");
        assert!(problems[0].message.contains("manipulator"), "{problems:?}");
        let problems = PipelineConfig::parse("output: [1\n")
            .err()
            .unwrap_or_default();
        assert!(problems[0].message.contains("YAML"), "{problems:?}");
    }
}
