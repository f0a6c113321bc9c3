//! Request and response bodies. Field names follow the work order §7 columns; enum values are
//! upper case; ids are UUIDs; versions `vX.Y.Z`. Unknown request fields are refused.

// PATCH bodies must tell an absent field (keep it) from an explicit null (clear it).
#![allow(clippy::option_option)]

use chrono::{DateTime, FixedOffset};
use datamill_core::AnnotationFormat;
use datamill_core::validate::ValidationReport;
use datamill_db::types::{DatasetStatus, DatasetType, Modality, Split, TaskType, Version};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A new dataset group.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    /// Letters, digits, `.`, `_`, `-`; it is the group's NAS folder name. Unique, ignoring case.
    #[schema(example = "coco2017")]
    pub name: String,
    pub dataset_type: DatasetType,
    pub annotation_format: AnnotationFormat,
    #[serde(default)]
    pub task_types: Vec<TaskType>,
    #[serde(default)]
    pub modality: Option<Modality>,
    #[serde(default)]
    pub source_origin: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Free-form metadata (an object).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Changes to a group; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupPatch {
    pub name: Option<String>,
    pub dataset_type: Option<DatasetType>,
    pub annotation_format: Option<AnnotationFormat>,
    pub task_types: Option<Vec<TaskType>>,
    pub modality: Option<Modality>,
    /// `null` clears it.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub source_origin: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[schema(value_type = Option<Object>)]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Distinguishes an absent field (no change) from an explicit `null` (clear it).
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// A dataset group as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Group {
    pub id: Uuid,
    pub name: String,
    pub dataset_type: DatasetType,
    pub annotation_format: AnnotationFormat,
    pub task_types: Vec<TaskType>,
    pub modality: Modality,
    pub source_origin: Option<String>,
    pub description: Option<String>,
    #[schema(value_type = Object)]
    pub extra: serde_json::Value,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// A group with all its dataset versions (fresh from the tables, not the summary view).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDetail {
    #[serde(flatten)]
    pub group: Group,
    /// Every version, newest first within each split (TRAIN, VAL, TEST, NONE).
    pub datasets: Vec<Dataset>,
}

/// One split × version of a group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Dataset {
    pub id: Uuid,
    pub group_id: Uuid,
    pub split: Split,
    pub version: Version,
    /// The effective format: the version's override, else the group's.
    pub annotation_format: AnnotationFormat,
    /// `true` when the format is a per-version override of the group's.
    pub annotation_format_overridden: bool,
    /// Relative to the NAS base, e.g. `raw/coco2017/train/v1.0.0`.
    pub storage_uri: String,
    pub status: DatasetStatus,
    pub image_count: Option<i32>,
    pub class_count: Option<i32>,
    /// Counts, class histogram and validation summary taken at registration. The EDA report is
    /// stored here too (`eda`) but served by `GET /datasets/{id}/eda`, not in this object.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    pub description: Option<String>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// `POST /datasets/validate-path`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidatePathRequest {
    #[schema(example = "raw/coco2017/train/v1.0.0")]
    pub storage_uri: String,
    pub annotation_format: AnnotationFormat,
}

/// What the validator found at a NAS path.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ValidatePathResponse {
    pub storage_uri: String,
    /// Whether the path exists under the NAS base.
    pub exists: bool,
    /// Whether it can be registered (it exists and has no errors; warnings are allowed).
    pub valid: bool,
    pub report: ValidationReport,
}

/// `POST /datasets`: register data already on the NAS.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDataset {
    pub group_id: Uuid,
    pub split: Split,
    /// Omit to get the next patch version of (group, split).
    #[serde(default)]
    pub version: Option<Version>,
    pub storage_uri: String,
    /// Omit to use the group's format.
    #[serde(default)]
    pub annotation_format: Option<AnnotationFormat>,
    #[serde(default)]
    pub description: Option<String>,
}

/// `PATCH /datasets/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetPatch {
    /// `null` clears it.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub status: Option<DatasetStatus>,
}

/// Query of `GET /datasets`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DatasetListQuery {
    pub group_id: Option<Uuid>,
    pub split: Option<Split>,
    pub status: Option<DatasetStatus>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Rows per page, 1–200 (default 50).
    pub page_size: Option<u64>,
}

/// A page of dataset versions, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetPage {
    pub items: Vec<Dataset>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// `GET /dataset-groups/{id}/next-version`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextVersion {
    pub group_id: Uuid,
    pub split: Split,
    /// The proposed version: the latest plus one patch, or v1.0.0 for a new split.
    pub version: Version,
    pub latest: Option<Version>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NextVersionQuery {
    pub split: Split,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteGroupQuery {
    /// Delete the group's dataset records too (the NAS files stay).
    #[serde(default)]
    pub cascade: bool,
}

/// Query of the list endpoint.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GroupListQuery {
    pub dataset_type: Option<DatasetType>,
    /// Any of these task types, comma-separated (`DETECTION,SEGMENTATION`).
    #[param(value_type = Option<String>, example = "DETECTION,SEGMENTATION")]
    pub task_types: Option<String>,
    pub annotation_format: Option<AnnotationFormat>,
    pub modality: Option<Modality>,
    /// Groups having a version of this split.
    pub split: Option<Split>,
    /// Groups having a version with this status.
    pub status: Option<DatasetStatus>,
    /// Case-insensitive search in the group name.
    pub q: Option<String>,
    /// `name`, `created_at` or `image_count`; a leading `-` sorts descending. Default `-created_at`.
    #[param(example = "-image_count")]
    pub sort: Option<String>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Rows per page, 1–200 (default 20).
    pub page_size: Option<u64>,
}

/// A version in the list's split × version matrix.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryVersion {
    pub id: Uuid,
    pub version: Version,
    pub status: DatasetStatus,
    pub image_count: Option<i64>,
    pub class_count: Option<i64>,
    pub annotation_format: AnnotationFormat,
    pub storage_uri: String,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
    /// The version's EDA in brief; `null` when none was ever requested.
    pub eda: Option<SummaryEda>,
}

/// A version's EDA in the list: its state and, once done, the headline numbers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummaryEda {
    pub status: EdaStatus,
    /// Annotations with geometry.
    pub objects: Option<u64>,
    /// Classes with at least one annotation.
    pub classes_used: Option<u64>,
    /// The sum of the health checks' counts.
    pub health_issues: Option<u64>,
}

/// Where a version's EDA run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EdaStatus {
    /// No run was ever requested (the eda-worker's sweep requests one for every READY version).
    NotRequested,
    Pending,
    Running,
    Done,
    Failed,
}

/// A version's EDA run (`GET /datasets/{id}/eda`): its state and progress, and the report of
/// the last run that finished.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EdaRun {
    pub dataset_id: Uuid,
    pub status: EdaStatus,
    /// `reading`, `annotations`, `headers`, `duplicates`, `thermal`, `gallery`, `done`.
    pub current_stage: Option<String>,
    pub processed_count: i32,
    pub total_count: i32,
    pub error_message: Option<String>,
    pub attempts: i32,
    pub worker_id: Option<String>,
    pub requested_at: Option<DateTime<FixedOffset>>,
    pub started_at: Option<DateTime<FixedOffset>>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    /// The report of the last finished run (kept while a new run is under way); `null` before
    /// the first. Thumbnails are NAS paths, served under `/static/`.
    pub report: Option<datamill_core::eda::EdaReport>,
}

/// A split and its versions, newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SummarySplit {
    pub split: Split,
    pub versions: Vec<SummaryVersion>,
}

/// One row of the dataset list: a group with its splits × versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupSummary {
    pub group_id: Uuid,
    pub name: String,
    pub dataset_type: DatasetType,
    pub annotation_format: AnnotationFormat,
    pub task_types: Vec<TaskType>,
    pub modality: Modality,
    pub source_origin: Option<String>,
    pub description: Option<String>,
    pub version_count: i32,
    /// Images in the latest version of each split, summed.
    pub image_count: i64,
    /// Splits in TRAIN, VAL, TEST, NONE order, each with its versions newest first. Built by
    /// the summary view in this exact shape and passed through unparsed.
    #[schema(value_type = Vec<SummarySplit>)]
    pub splits: Box<serde_json::value::RawValue>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// A page of the dataset list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupPage {
    pub items: Vec<GroupSummary>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// `/health`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: String,
    pub service: String,
    pub version: String,
    pub database: DatabaseHealth,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DatabaseHealth {
    /// `up` or `down`.
    pub status: String,
    pub latency_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A manipulator of the catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Manipulator {
    #[schema(example = "filter_keep_by_class")]
    pub name: String,
    pub category: datamill_db::types::ManipulatorCategory,
    /// Where it may run: `PER_SOURCE`, `POST_MERGE` or both.
    pub scope: Vec<datamill_core::pipeline::Scope>,
    pub compatible_task_types: Vec<TaskType>,
    /// The annotation formats it accepts at its point of a chain.
    pub compatible_annotation_fmts: Vec<AnnotationFormat>,
    /// The format afterwards (format converters only).
    pub output_annotation_fmt: Option<AnnotationFormat>,
    /// JSON Schema (2020-12) of its params; the GUI renders its form from it.
    #[schema(value_type = Object)]
    pub params_schema: serde_json::Value,
    pub description: Option<String>,
    /// ACTIVE, EXPERIMENTAL (usable from the API and CLI, disabled in the GUI) or DEPRECATED.
    pub status: datamill_db::types::ManipulatorStatus,
    pub version: String,
    pub updated_at: DateTime<FixedOffset>,
}

/// Narrows the catalog.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ManipulatorListQuery {
    /// `PER_SOURCE` or `POST_MERGE`.
    pub scope: Option<String>,
    /// A task type the manipulator must support (`DETECTION`).
    pub task_type: Option<String>,
    /// A format the manipulator must accept (`COCO`).
    pub annotation_format: Option<String>,
    /// `ACTIVE`, `EXPERIMENTAL` or `DEPRECATED`.
    pub status: Option<String>,
}

/// The catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ManipulatorList {
    pub items: Vec<Manipulator>,
}

/// The operator's change to a manipulator.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManipulatorPatch {
    pub status: datamill_db::types::ManipulatorStatus,
}

/// Which way a lineage query goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineageDirection {
    /// The versions this one was built from, and theirs.
    Up,
    /// The versions built from this one, and from those.
    Down,
    Both,
}

/// `GET /datasets/{id}/lineage` parameters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LineageQuery {
    /// `up`, `down` or `both` (default).
    pub direction: Option<LineageDirection>,
    /// Edges to follow each way, 1..=50 (default 10).
    pub depth: Option<u32>,
}

/// A dataset version in a lineage graph.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageNode {
    /// Negative upstream (-1 = a direct parent), positive downstream, 0 for the version asked about.
    pub depth: i32,
    pub group_name: String,
    pub dataset_type: DatasetType,
    pub dataset: Dataset,
}

/// A parent → child edge with what was done to the parent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageEdge {
    pub parent_id: Uuid,
    pub child_id: Uuid,
    /// The manipulators applied to the parent and the post-merge chain, as submitted.
    #[schema(value_type = Object)]
    pub transform_config: serde_json::Value,
    pub created_at: DateTime<FixedOffset>,
}

/// A lineage graph around one dataset version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Lineage {
    pub root: Uuid,
    pub direction: LineageDirection,
    pub depth: u32,
    pub nodes: Vec<LineageNode>,
    pub edges: Vec<LineageEdge>,
}

/// Where a pipeline's output goes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PipelineOutput {
    pub group: String,
    /// `null` when the group does not exist yet (the pipeline creates it).
    pub group_id: Option<Uuid>,
    pub split: Split,
    /// The configured version, or the next patch version of (group, split).
    pub version: Version,
    pub storage_uri: String,
}

/// The dry run of a pipeline: what it would write, exactly.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PipelinePreview {
    pub output: PipelineOutput,
    /// Images, annotations, categories, per-class counts, images copied and transformed.
    pub summary: datamill_core::pipeline::PlanSummary,
    /// Per-step counts, warnings, file renames and conversion events.
    #[schema(value_type = datamill_core::pipeline::PipelineReport)]
    pub report: serde_json::Value,
}

/// One run of a pipeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Execution {
    pub id: Uuid,
    /// PENDING → RUNNING → DONE | FAILED | CANCELLED.
    pub status: datamill_db::types::ExecutionStatus,
    /// `loading`, `transforming`, `annotations`, `images`, `done` (or `cancelled`).
    pub current_stage: Option<String>,
    pub processed_count: i32,
    pub total_count: Option<i32>,
    /// What went wrong, in words a person can act on (which image, which manipulator, why).
    pub error_message: Option<String>,
    /// Runs started; more than 1 after a retry or a worker that died.
    pub attempts: i32,
    pub cancel_requested: bool,
    /// The worker running it, or that ran it last.
    pub worker_id: Option<String>,
    /// Its job on the queue (`apalis.jobs.id`).
    pub job_id: Option<String>,
    pub output_dataset_id: Option<Uuid>,
    pub output_group_id: Option<Uuid>,
    /// The config as submitted, with the version assigned.
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    /// The engine's report once Phase A has run.
    #[schema(value_type = Option<datamill_core::pipeline::PipelineReport>)]
    pub report: Option<serde_json::Value>,
    pub started_at: Option<DateTime<FixedOffset>>,
    pub finished_at: Option<DateTime<FixedOffset>>,
    pub created_at: DateTime<FixedOffset>,
    pub updated_at: DateTime<FixedOffset>,
}

/// The execution history, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExecutionPage {
    pub items: Vec<Execution>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// History filters and paging.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExecutionListQuery {
    /// PENDING, RUNNING, DONE, FAILED or CANCELLED.
    pub status: Option<String>,
    pub output_group_id: Option<Uuid>,
    /// RFC 3339 (`2026-11-27T00:00:00Z`): created at or after.
    pub created_after: Option<DateTime<FixedOffset>>,
    /// RFC 3339: created before.
    pub created_before: Option<DateTime<FixedOffset>>,
    /// 1-based (default 1).
    pub page: Option<u64>,
    /// 1..=200 (default 20).
    pub page_size: Option<u64>,
}

// ----- samples ---------------------------------------------------------------------------------

/// Which sample images, in which order.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SamplesQuery {
    /// Images per page, 1..=200 (default 24).
    pub n: Option<u32>,
    /// The random order: the same seed gives the same pages. Absent, the server picks one and
    /// returns it; send it back for the next pages.
    pub seed: Option<u32>,
    /// Only images with at least one annotation of this class (a category name of the dataset).
    pub class: Option<String>,
    /// 1-based (default 1).
    pub page: Option<u32>,
}

/// A page of a dataset's images in a seeded random order, with their annotations.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SamplePage {
    pub dataset_id: Uuid,
    pub seed: u32,
    pub n: u32,
    pub page: u32,
    /// Images matching the filter.
    pub total: u64,
    pub pages: u64,
    pub class: Option<String>,
    /// Every category of the dataset, in the source's order.
    pub categories: Vec<SampleCategory>,
    pub items: Vec<Sample>,
}

/// A category and how many images carry it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SampleCategory {
    pub id: i64,
    pub name: String,
    pub supercategory: Option<String>,
    /// Images with at least one annotation of this category.
    pub images: u64,
}

/// One image and everything annotated on it, in the format-independent model.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sample {
    pub image_id: i64,
    /// Path relative to the dataset's image root.
    pub file_name: String,
    /// Displayed width (after EXIF orientation): the annotations' coordinate space.
    pub width: u32,
    pub height: u32,
    /// The preview (`GET /datasets/{id}/images/{image_id}`; add `?max=`).
    pub url: String,
    /// Image-level attributes.
    #[schema(schema_with = attribute_map_schema)]
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub annotations: Vec<SampleAnnotation>,
}

/// One annotation, with its geometry in absolute pixels (top-left origin).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SampleAnnotation {
    /// The source's annotation id (`null` for formats without ids).
    pub id: Option<i64>,
    pub annotation_type: datamill_core::AnnotationType,
    pub category_id: Option<i64>,
    pub category: Option<String>,
    /// `[x, y, w, h]`.
    pub bbox: Option<[f64; 4]>,
    /// Polygon parts, each `[x0, y0, x1, y1, …]`.
    pub polygons: Option<Vec<Vec<f64>>>,
    /// A run-length mask (COCO RLE, compressed ones decoded to their runs).
    pub mask: Option<SampleMask>,
    /// The stated area, else the mask's, else the box's.
    pub area: f64,
    pub iscrowd: bool,
    pub label: Option<String>,
    #[schema(schema_with = attribute_map_schema)]
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// An uncompressed COCO RLE: run lengths alternating background and mask, starting with
/// background (possibly 0), over the pixels in column-major order (pixel `i` is at
/// `x = i / height`, `y = i % height`), exactly as pycocotools decodes it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SampleMask {
    /// `[height, width]`.
    pub size: [u32; 2],
    pub counts: Vec<u32>,
}

/// The preview's size.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImagePreviewQuery {
    /// Longest side wanted, 16..=4096 (default 1024). It is rounded up to one of the cached
    /// sizes (128, 256, 320, 512, 768, 1024, 1280, 1600, 2048, 3072, 4096); images smaller than
    /// that keep their size.
    pub max: Option<u32>,
}

/// A JPEG file (the body of an image response).
#[derive(Debug, Clone, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct JpegImage(pub Vec<u8>);

/// `name → boolean | number | string | null`.
fn attribute_map_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{
        AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, Type,
    };
    let value: Schema = OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Boolean))
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into();
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(value.into())))
        .description(Some("Attribute name → value (`null`: not labelled)."))
        .build()
        .into()
}

// ----- system status ---------------------------------------------------------------------------

/// What runs and what waits: workers, queues and the database.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SystemStatus {
    pub checked_at: DateTime<FixedOffset>,
    pub database: DatabaseHealth,
    /// Workers seen in the last 24 hours, most recent first.
    pub workers: Vec<WorkerStatus>,
    /// One entry per queue (`pipeline`, `eda`), also when empty.
    pub queues: Vec<QueueStatus>,
}

/// A worker and its last heartbeat.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkerStatus {
    /// `pipeline` or `eda`.
    pub kind: String,
    pub id: String,
    pub host: String,
    pub pid: i32,
    pub version: String,
    pub started_at: DateTime<FixedOffset>,
    pub last_seen_at: DateTime<FixedOffset>,
    pub heartbeat_age_secs: f64,
    /// ALIVE: a heartbeat within the last 30 seconds (six missed 5-second beats); STALE
    /// otherwise (stopped, killed or cut off).
    pub state: String,
    /// The execution (pipeline) or dataset (eda) it is working on.
    pub current: Option<Uuid>,
}

/// A job queue in `apalis.jobs`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueueStatus {
    pub name: String,
    /// Jobs due and waiting for a worker, retries included (what autoscaling counts).
    pub pending: i64,
    /// Jobs taken by a worker (`Queued`, `Running`).
    pub in_flight: i64,
    /// Jobs waiting for a later retry time.
    pub scheduled: i64,
    /// How long the oldest due job has waited.
    pub oldest_pending_age_secs: Option<f64>,
    /// Jobs that ended FAILED for good in the last 24 hours.
    pub failed_last_day: i64,
}
