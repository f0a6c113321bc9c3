//! Pipelines through the API: the config's sources resolved against the registry (dataset ids →
//! READY versions with their format, task types, modality and NAS directory), the engine's
//! checks, and the dry run (`POST /pipelines/preview`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use datamill_core::pipeline::{
    self, ConfigProblem, NoProgress, PipelineConfig, PipelineError, ResolveOptions,
    ResolvedPipeline, SourceFacts, Status,
};
use datamill_db::entity::dataset_group;
use datamill_db::types::{DatasetStatus, Split, Version, parse_format};
use datamill_platform::problem::FieldProblem;
use datamill_storage::StoragePath;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::dto::{PipelineOutput, PipelinePreview};
use crate::error::ApiError;
use crate::repo;
use crate::repo::manipulators::CatalogFilter;
use crate::service::Registry;

/// A 422 listing every problem with its JSON path.
fn invalid(problems: Vec<ConfigProblem>) -> ApiError {
    let detail = match problems.as_slice() {
        [one] => format!("the pipeline config is invalid: {one}"),
        many => format!("the pipeline config has {} problems", many.len()),
    };
    ApiError::Invalid {
        code: "PIPELINE_INVALID",
        detail,
        errors: problems
            .into_iter()
            .map(|p| FieldProblem {
                field: p.path,
                message: p.message,
            })
            .collect(),
    }
}

/// A checked pipeline with its sources' directories.
pub(crate) struct Checked {
    pub(crate) resolved: ResolvedPipeline,
    pub(crate) dirs: Vec<PathBuf>,
    /// The output group when it exists already.
    pub(crate) group: Option<dataset_group::Model>,
    pub(crate) version: Version,
}

impl Registry {
    /// Parses and checks a config against the registry; every problem becomes a 422 entry.
    pub(crate) async fn check_pipeline(
        &self,
        body: serde_json::Value,
    ) -> Result<Checked, ApiError> {
        let config = PipelineConfig::from_value(body).map_err(invalid)?;
        let mut problems = Vec::new();
        let mut references = Vec::new();
        let mut partial = Vec::new();
        for (index, source) in config.sources.iter().enumerate() {
            let resolved = self.source(index, source, &mut problems).await?;
            references.push(
                resolved
                    .as_ref()
                    .map_or_else(|| format!("source{index}"), |r| r.0.clone()),
            );
            partial.push(resolved);
        }
        let labels = pipeline::resolve::source_labels(&references);
        let mut facts = Vec::new();
        let mut dirs = Vec::new();
        for (resolved, label) in partial.into_iter().zip(labels) {
            let Some((_, format, task_types, modality, dir)) = resolved else {
                continue;
            };
            facts.push(SourceFacts {
                label,
                format,
                task_types,
                modality,
            });
            dirs.push(dir);
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let statuses: BTreeMap<String, Status> =
            repo::manipulators::list(&self.db, &CatalogFilter::default())
                .await?
                .into_iter()
                .filter_map(|m| {
                    let status =
                        serde_json::from_value(serde_json::to_value(m.status).ok()?).ok()?;
                    Some((m.name, status))
                })
                .collect();
        let options = ResolveOptions {
            refuse_experimental: false,
            statuses,
        };
        let resolved = pipeline::resolve(&config, &facts, &options).map_err(invalid)?;

        let group = dataset_group::Entity::find()
            .filter(dataset_group::Column::Name.eq(config.output.group.clone()))
            .one(&self.db)
            .await?;
        let split: Split = config.output.split.into();
        let version = match (config.output.version, &group) {
            (Some(version), _) => version,
            (None, Some(group)) => repo::datasets::latest_version(&self.db, group.id, split)
                .await?
                .map_or(Version::FIRST, Version::next_patch),
            (None, None) => Version::FIRST,
        };
        Ok(Checked {
            resolved,
            dirs,
            group,
            version,
        })
    }

    /// One source: `(reference, format, task types, modality, directory)`, or `None` with its
    /// problems recorded.
    #[allow(clippy::type_complexity, reason = "a private tuple read right below")]
    async fn source(
        &self,
        index: usize,
        source: &pipeline::SourceSpec,
        problems: &mut Vec<ConfigProblem>,
    ) -> Result<
        Option<(
            String,
            datamill_core::AnnotationFormat,
            Vec<datamill_core::TaskType>,
            datamill_core::Modality,
            PathBuf,
        )>,
        ApiError,
    > {
        let at = format!("$.sources[{index}]");
        let Some(raw) = &source.dataset_id else {
            problems.push(ConfigProblem::new(
                format!("{at}.dataset_id"),
                "give the source's dataset_id (paths are for the local CLI)",
            ));
            return Ok(None);
        };
        let Ok(id) = Uuid::parse_str(raw.trim()) else {
            problems.push(ConfigProblem::new(
                format!("{at}.dataset_id"),
                format!("{raw:?} is not a UUID"),
            ));
            return Ok(None);
        };
        let Some(dataset) = datamill_db::entity::dataset::Entity::find_by_id(id)
            .one(&self.db)
            .await?
        else {
            problems.push(ConfigProblem::new(
                format!("{at}.dataset_id"),
                format!("there is no dataset {id}"),
            ));
            return Ok(None);
        };
        if dataset.status != DatasetStatus::Ready {
            problems.push(ConfigProblem::new(
                format!("{at}.dataset_id"),
                format!(
                    "dataset {id} is {}, not READY; only READY versions can be sources",
                    serde_json::to_value(dataset.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                ),
            ));
            return Ok(None);
        }
        let group = repo::groups::get(&self.db, dataset.group_id).await?;
        let format = dataset
            .annotation_format
            .as_deref()
            .or(Some(group.annotation_format.as_str()))
            .and_then(parse_format)
            .ok_or_else(|| {
                ApiError::Internal(format!("dataset {id} has an unknown stored format"))
            })?;
        if let Some(given) = source.annotation_format
            && given != format
        {
            problems.push(ConfigProblem::new(
                format!("{at}.annotation_format"),
                format!("dataset {id} is {}, not {}", format.title(), given.title()),
            ));
        }
        let task_types: Vec<datamill_db::types::TaskType> =
            serde_json::from_value(group.task_types.clone()).unwrap_or_default();
        let modality: datamill_core::Modality = group.modality.into();
        let path = StoragePath::parse(&dataset.storage_uri)
            .and_then(|p| self.storage.resolve(&p))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Some((
            id.to_string(),
            format,
            task_types.into_iter().map(Into::into).collect(),
            modality,
            path,
        )))
    }

    /// The engine's dry run: exact counts, class histogram and report, nothing written.
    pub async fn preview_pipeline(
        &self,
        body: serde_json::Value,
    ) -> Result<PipelinePreview, ApiError> {
        let checked = self.check_pipeline(body).await?;
        let output = &checked.resolved.config.output;
        let storage_uri = format!(
            "{}/{}/{}/{}",
            output.dataset_type.folder(),
            output.group,
            output.split.folder(),
            checked.version
        );
        let output = PipelineOutput {
            group: output.group.clone(),
            group_id: checked.group.as_ref().map(|g| g.id),
            split: output.split.into(),
            version: checked.version,
            storage_uri,
        };
        let plan = tokio::task::spawn_blocking(move || {
            let loaded = checked
                .resolved
                .sources
                .iter()
                .zip(&checked.dirs)
                .map(|(source, dir)| pipeline::load_source(&source.facts, dir))
                .collect::<Result<Vec<_>, _>>()?;
            pipeline::phase_a(&checked.resolved, loaded, &NoProgress)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("the dry run stopped: {e}")))?
        .map_err(engine_error)?;
        Ok(PipelinePreview {
            output,
            summary: plan.summary,
            report: serde_json::to_value(&plan.report).unwrap_or_default(),
        })
    }
}

/// Engine failures in Phase A are about the data or the config: 422 with what and where.
fn engine_error(error: PipelineError) -> ApiError {
    match error {
        PipelineError::Invalid(problems) => invalid(problems),
        other => ApiError::Invalid {
            code: "PIPELINE_FAILED",
            detail: other.to_string(),
            errors: Vec::new(),
        },
    }
}
