//! The manipulator contract: what a manipulator declares about itself, how it changes the
//! annotations (Phase A) and which pixel operations it asks for (Phase B).
//!
//! A manipulator is written against [`UnitManipulator`] with a typed `Params` struct; the engine
//! sees it through the object-safe [`Manipulator`], which the blanket impl provides. Params come
//! in as JSON, are checked against the typed struct (the same struct the JSON Schema is generated
//! from, so the schema and the check cannot disagree) and then by the manipulator's own
//! [`UnitManipulator::check`] for rules a schema cannot say (a regular expression compiles, a
//! map is not empty).

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::codecs::WriteOptions;
use crate::format::AnnotationFormat;
use crate::model::{DatasetMeta, ImageRecord};
use crate::pipeline::report::PipelineReport;
use crate::taxonomy::TaskType;

/// What a manipulator does, for the catalog and the GUI's grouping.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    Filter,
    Augment,
    FormatConvert,
    Merge,
    Sample,
    Remap,
}

/// Where in a pipeline a manipulator may run.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Scope {
    /// In a source's own chain, on that source's annotations alone.
    PerSource,
    /// After the sources are merged, on the merged annotations.
    PostMerge,
}

/// Whether a manipulator is offered. The catalog's status is the operator's to change; this is
/// the default a new manipulator starts with.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Active,
    /// Usable from configs and the CLI; shown disabled in the GUI.
    Experimental,
    Deprecated,
}

/// Everything a manipulator declares about itself.
#[derive(Debug, Clone, Copy)]
pub struct ManipulatorInfo {
    /// Stable snake_case name: the key in configs, the API and the catalog table.
    pub name: &'static str,
    pub category: Category,
    pub scopes: &'static [Scope],
    /// The task types whose annotations it understands; a source with another task type is refused.
    pub task_types: &'static [TaskType],
    /// The annotation formats (at that point of the chain) it accepts.
    pub formats: &'static [AnnotationFormat],
    /// The format the annotations are in afterwards (format converters only).
    pub output_format: Option<AnnotationFormat>,
    pub status: Status,
    /// The manipulator's own version: bumped when its output for the same input changes.
    pub version: &'static str,
    /// One paragraph for the catalog and the GUI.
    pub description: &'static str,
    /// It changes pixels; images it touches are decoded and encoded in Phase B.
    pub changes_pixels: bool,
    /// Its pixel operations need 8-bit samples (JPEG); 16-bit sources are refused in Phase A.
    pub needs_8bit_images: bool,
}

/// The annotations a manipulator works on: one source's (per-source scope, and post-merge steps
/// after the merge) or every source's (the merge itself).
#[derive(Debug)]
pub enum AnnotationInput {
    One(DatasetMeta),
    Many(Vec<DatasetMeta>),
}

impl AnnotationInput {
    /// The single dataset, merging is the engine's business: a non-merge step given several
    /// datasets is a bug in the engine, reported as an error rather than a panic.
    pub fn into_one(self, step: &str) -> Result<DatasetMeta, ManipulatorError> {
        match self {
            Self::One(meta) => Ok(meta),
            Self::Many(mut metas) if metas.len() == 1 => Ok(metas.remove(0)),
            Self::Many(metas) => Err(ManipulatorError::new(format!(
                "{step} works on one dataset but was given {}",
                metas.len()
            ))),
        }
    }

    /// Every dataset, in source order.
    #[must_use]
    pub fn into_many(self) -> Vec<DatasetMeta> {
        match self {
            Self::One(meta) => vec![meta],
            Self::Many(metas) => metas,
        }
    }
}

/// A source as manipulators see it: how to name it in file-name prefixes and reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLabel {
    /// The source's reference as stored in every image's origin (dataset id or NAS path).
    pub reference: String,
    /// A short, file-name-safe name (`coco_train_v1.0.0`), unique among the pipeline's sources.
    pub label: String,
}

/// What a step may read and change besides the annotations.
#[derive(Debug)]
pub struct TransformContext<'a> {
    /// The step's place in the config, as a JSON path (`$.sources[0].manipulators[2]`).
    pub step_path: &'a str,
    /// The pipeline's sources in config order.
    pub sources: &'a [SourceLabel],
    /// The annotation format at this point of the chain; converters change it.
    pub format: AnnotationFormat,
    /// How the output annotations will be written; converters set their rules here.
    pub write: &'a mut WriteOptions,
    pub report: &'a mut PipelineReport,
}

impl TransformContext<'_> {
    /// Records a warning for this step (a named class that is not in the data, …).
    pub fn warn(&mut self, message: impl Into<String>) {
        self.report.warn(self.step_path, message);
    }
}

/// What `build_image_manipulation` may look at besides the image: the dataset's categories as
/// the step receives them (params name classes; records hold category ids).
#[derive(Debug, Clone, Copy)]
pub struct ImageContext<'a> {
    pub categories: &'a [crate::model::Category],
}

/// A pixel operation one step asks for on one image, in display coordinates (after EXIF
/// orientation). An image's operations from every step are applied in chain order, after one
/// decode, followed by one encode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ImageManipulationSpec {
    /// Turn the pixels by 180°.
    Rotate180,
    /// Encode the result as JPEG at this quality (the last such op wins).
    EncodeJpeg { quality: u8 },
    /// Paint regions with a colour.
    Fill {
        regions: Vec<Region>,
        color: [u8; 3],
    },
}

/// A region to paint, in display pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Region {
    /// The pixels `[x0, x1) × [y0, y1)`.
    Rect { x0: u32, y0: u32, x1: u32, y1: u32 },
    /// A COCO uncompressed RLE over the image (column-major, starting with a run of 0s).
    Mask { counts: Vec<u32> },
}

/// Why a step could not produce its output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ManipulatorError {
    pub message: String,
}

impl ManipulatorError {
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// A manipulator, written with typed params.
///
/// Adding one is one new file with a unit struct implementing this trait, plus its line in
/// [`crate::pipeline::manipulators::CATALOG`]; the engine does not change.
pub trait UnitManipulator: Clone + Send + Sync + 'static {
    /// The params, with `#[serde(deny_unknown_fields)]` so typos are refused by name.
    type Params: DeserializeOwned + Serialize + JsonSchema + Send + Sync + 'static;

    const INFO: ManipulatorInfo;

    /// Rules the schema cannot state; each message names the param it is about.
    fn check(&self, _params: &Self::Params) -> Vec<ParamProblem> {
        Vec::new()
    }

    /// Phase A: the annotations after this step. Removing an image removes its record; no image
    /// file is read or written here.
    fn transform_annotation(
        &self,
        input: AnnotationInput,
        params: &Self::Params,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError>;

    /// The pixel operations for one image, given the record as this step receives it (before its
    /// own `transform_annotation`). Empty: the step does not touch this image's pixels.
    fn build_image_manipulation(
        &self,
        _image: &ImageRecord,
        _params: &Self::Params,
        _context: &ImageContext<'_>,
    ) -> Vec<ImageManipulationSpec> {
        Vec::new()
    }
}

/// A problem with one param, named by its path inside `params` (`quality`, `classes[2]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamProblem {
    /// JSON path relative to the step's `params` (empty: the params as a whole).
    pub path: String,
    pub message: String,
}

impl ParamProblem {
    #[must_use]
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// A manipulator as the engine sees it (object safe).
pub trait Manipulator: Send + Sync {
    fn info(&self) -> &'static ManipulatorInfo;
    /// The params' JSON Schema (draft 2020-12).
    fn params_schema(&self) -> serde_json::Value;
    /// Checks params and binds them, ready to run.
    fn prepare(
        &self,
        params: &serde_json::Value,
    ) -> Result<Box<dyn PreparedStep>, Vec<ParamProblem>>;
}

/// A manipulator with checked params.
pub trait PreparedStep: Send + Sync + std::fmt::Debug {
    fn info(&self) -> &'static ManipulatorInfo;
    fn transform(
        &self,
        input: AnnotationInput,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError>;
    fn image_ops(
        &self,
        image: &ImageRecord,
        context: &ImageContext<'_>,
    ) -> Vec<ImageManipulationSpec>;
    /// The params after defaults were filled in, as recorded in reports and lineage.
    fn params(&self) -> serde_json::Value;
}

struct Bound<M: UnitManipulator> {
    manipulator: M,
    params: M::Params,
}

impl<M: UnitManipulator> std::fmt::Debug for Bound<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bound")
            .field("name", &M::INFO.name)
            .finish_non_exhaustive()
    }
}

impl<M: UnitManipulator> PreparedStep for Bound<M> {
    fn info(&self) -> &'static ManipulatorInfo {
        &M::INFO
    }
    fn transform(
        &self,
        input: AnnotationInput,
        context: &mut TransformContext<'_>,
    ) -> Result<DatasetMeta, ManipulatorError> {
        self.manipulator
            .transform_annotation(input, &self.params, context)
    }
    fn image_ops(
        &self,
        image: &ImageRecord,
        context: &ImageContext<'_>,
    ) -> Vec<ImageManipulationSpec> {
        self.manipulator
            .build_image_manipulation(image, &self.params, context)
    }
    fn params(&self) -> serde_json::Value {
        serde_json::to_value(&self.params).unwrap_or(serde_json::Value::Null)
    }
}

/// The JSON Schema of a params type, as published in `proto-schemas/manipulators/`.
#[must_use]
pub fn params_schema_of<P: JsonSchema>(name: &str) -> serde_json::Value {
    let settings = schemars::generate::SchemaSettings::draft2020_12();
    let mut schema = settings.into_generator().into_root_schema_for::<P>();
    schema.insert(
        "$id".to_owned(),
        serde_json::Value::String(format!(
            "https://datamill.dev/schemas/manipulators/{name}.schema.json"
        )),
    );
    schema.insert(
        "title".to_owned(),
        serde_json::Value::String(format!("{name} params")),
    );
    schema.to_value()
}

impl<M: UnitManipulator> Manipulator for M {
    fn info(&self) -> &'static ManipulatorInfo {
        &M::INFO
    }

    fn params_schema(&self) -> serde_json::Value {
        params_schema_of::<M::Params>(M::INFO.name)
    }

    fn prepare(
        &self,
        params: &serde_json::Value,
    ) -> Result<Box<dyn PreparedStep>, Vec<ParamProblem>> {
        // A missing `params` means "all defaults"; `{}` is what that deserialises from.
        let value = if params.is_null() {
            serde_json::Value::Object(serde_json::Map::new())
        } else {
            params.clone()
        };
        let params: M::Params = serde_path_to_error::deserialize(value).map_err(|error| {
            let path = error.path().to_string();
            let path = if path == "." { String::new() } else { path };
            vec![ParamProblem::new(path, error.into_inner().to_string())]
        })?;
        let problems = self.check(&params);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Box::new(Bound {
            manipulator: self.clone(),
            params,
        }))
    }
}
