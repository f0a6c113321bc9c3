//! The pipeline engine: build a new dataset version from one or more sources through chains of
//! manipulators, in one pass and without intermediate files.
//!
//! * [`config`]: the pipeline config (YAML/JSON) and its schema.
//! * [`resolve`]: every check that needs no data (names, scopes, formats, task types, params).
//! * [`engine`]: Phase A (annotations only) and the image plan; a dry run stops here.
//! * [`execute`]: Phase B, images in parallel, resumable after a kill.
//! * [`manipulators`]: the catalog; [`manipulator`]: the contract each one implements.
//! * [`local`]: local mode (sources as NAS paths), as `datamill pipeline run` uses it.

pub mod config;
pub mod engine;
pub mod execute;
pub mod local;
pub mod manipulator;
pub mod manipulators;
pub mod report;
pub mod resolve;
pub mod rng;
#[cfg(test)]
mod testing;

pub use config::{ConfigProblem, OutputSpec, PipelineConfig, SourceSpec, StepSpec};
pub use engine::{
    ClassTally, ImagePlan, LoadedSource, NoProgress, PipelineError, Plan, PlanSummary, Progress,
    Stage, load_source, phase_a,
};
pub use execute::{ExecuteOptions, ExecutionSummary, MissingImages, execute};
pub use manipulator::{
    AnnotationInput, Category, ImageContext, ImageManipulationSpec, Manipulator, ManipulatorError,
    ManipulatorInfo, ParamProblem, PreparedStep, Region, Scope, SourceLabel, Status,
    TransformContext, UnitManipulator,
};
pub use report::PipelineReport;
pub use resolve::{ResolveOptions, ResolvedPipeline, SourceFacts, resolve};

/// The catalog entry of a manipulator as the CLI and the API list it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CatalogEntry {
    pub name: &'static str,
    pub category: Category,
    pub scopes: &'static [Scope],
    pub task_types: &'static [crate::taxonomy::TaskType],
    pub formats: &'static [crate::format::AnnotationFormat],
    pub output_format: Option<crate::format::AnnotationFormat>,
    pub status: Status,
    pub version: &'static str,
    pub description: &'static str,
    pub changes_pixels: bool,
    pub params_schema: serde_json::Value,
}

/// Every manipulator with its params schema, in catalog order.
#[must_use]
pub fn catalog() -> Vec<CatalogEntry> {
    manipulators::CATALOG
        .iter()
        .map(|m| {
            let info = m.info();
            CatalogEntry {
                name: info.name,
                category: info.category,
                scopes: info.scopes,
                task_types: info.task_types,
                formats: info.formats,
                output_format: info.output_format,
                status: info.status,
                version: info.version,
                description: info.description,
                changes_pixels: info.changes_pixels,
                params_schema: m.params_schema(),
            }
        })
        .collect()
}
